-- Self-registration of interest (issue 4).
-- Personal fields (name, NIK, phone) are stored only encrypted (Fernet, bot/crypto.py);
-- nik_hash is a keyed HMAC of the NIK so a NIK can be registered once without storing it
-- in clear.

CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,  -- reference number SKP-000123;
                                                          -- AUTOINCREMENT: never reused
    user_id           INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    full_name_enc     TEXT    NOT NULL,
    nik_enc           TEXT    NOT NULL,
    nik_hash          TEXT    NOT NULL UNIQUE,
    phone_enc         TEXT    NOT NULL,                   -- E.164 (+62...), encrypted
    occupation        TEXT    NOT NULL,                   -- key in locales/id/occupations.toml
    occupation_other  TEXT,                               -- typed, when occupation = 'lainnya'
    kecamatan         TEXT    NOT NULL,                   -- key in places.toml, or 'luar_kota'
    kelurahan         TEXT    NOT NULL,                   -- kelurahan name, or the typed place
                                                          -- when kecamatan = 'luar_kota'
    bpjs_participant  TEXT    NOT NULL
        CHECK (bpjs_participant IN ('ya', 'belum', 'tidak_tahu')),
    status            TEXT    NOT NULL DEFAULT 'baru'
        CHECK (status IN ('baru', 'dihubungi', 'terdaftar_bpjs', 'tidak_memenuhi_syarat')),
    source            TEXT,                               -- 'command', 'menu', 'link', 'link:<poster>'
    consent_at        TEXT    NOT NULL,                   -- UTC, ISO 8601
    consent_version   TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    status_changed_at TEXT
);

CREATE INDEX registrations_status ON registrations (status, created_at);

-- A dialogue in progress: one per user, its answers encrypted as one JSON document.
-- Discarded after 24 hours without activity.
CREATE TABLE registration_drafts (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    nonce      TEXT    NOT NULL,                          -- in callback data: old buttons are
                                                          -- recognised
    mode       TEXT    NOT NULL CHECK (mode IN ('new', 'edit')),
    step       TEXT    NOT NULL,
    data_enc   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE INDEX registration_drafts_updated ON registration_drafts (updated_at);

-- Non-personal counters (how many registrations were deleted at the person's request).
CREATE TABLE registration_counters (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL DEFAULT 0
);

INSERT INTO registration_counters (name, value) VALUES ('deleted', 0);

-- A known text encrypted with the key: a different key is refused at start.
CREATE TABLE crypto_key_check (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    token      TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
