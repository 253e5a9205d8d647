-- Issue 14, item 9: the NIK step is no oracle. A registration whose NIK is already in another
-- registration is taken like any other (the person is told nothing different) and marked for
-- the staff: duplicate_of is the id of the registration that had the NIK first (no foreign
-- key: the mark stays when that one is deleted). The NIK hash was UNIQUE; now only one
-- registration per NIK is unmarked (the partial unique index), and marked ones share the hash.
-- SQLite cannot drop a UNIQUE column constraint, so the table is rebuilt (nothing refers to it).
CREATE TABLE registrations_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    full_name_enc     TEXT    NOT NULL,
    nik_enc           TEXT    NOT NULL,
    nik_hash          TEXT    NOT NULL,
    phone_enc         TEXT    NOT NULL,
    occupation        TEXT    NOT NULL,
    occupation_other  TEXT,
    kecamatan         TEXT    NOT NULL,
    kelurahan         TEXT    NOT NULL,
    bpjs_participant  TEXT    NOT NULL
        CHECK (bpjs_participant IN ('ya', 'belum', 'tidak_tahu')),
    status            TEXT    NOT NULL DEFAULT 'baru'
        CHECK (status IN ('baru', 'dihubungi', 'terdaftar_bpjs', 'tidak_memenuhi_syarat')),
    source            TEXT,
    consent_at        TEXT    NOT NULL,
    consent_version   TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    status_changed_at TEXT,
    duplicate_of      INTEGER                             -- NULL: not a possible duplicate
);

INSERT INTO registrations_new (id, user_id, full_name_enc, nik_enc, nik_hash, phone_enc,
    occupation, occupation_other, kecamatan, kelurahan, bpjs_participant, status, source,
    consent_at, consent_version, created_at, updated_at, status_changed_at)
SELECT id, user_id, full_name_enc, nik_enc, nik_hash, phone_enc, occupation, occupation_other,
    kecamatan, kelurahan, bpjs_participant, status, source, consent_at, consent_version,
    created_at, updated_at, status_changed_at
FROM registrations;

-- AUTOINCREMENT's memory: a deleted registration's number is never given again.
DELETE FROM sqlite_sequence WHERE name = 'registrations_new';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'registrations_new', seq FROM sqlite_sequence WHERE name = 'registrations';

DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;

CREATE INDEX registrations_status ON registrations (status, created_at);
CREATE INDEX registrations_nik ON registrations (nik_hash);
CREATE UNIQUE INDEX registrations_nik_first ON registrations (nik_hash)
    WHERE duplicate_of IS NULL;

-- Issue 14, item 5: a hand-off post whose send was uncertain is sent again (a possible
-- duplicate in the staff group beats a lost question). post_copies counts the sends tried
-- for a user's message: above 1, a copy whose message id is unknown may be in the group, and
-- a staff reply to it (recognised by its "#T<id> · " head) still finds the thread.
ALTER TABLE handoff_messages ADD COLUMN post_copies INTEGER NOT NULL DEFAULT 0;
UPDATE handoff_messages SET post_copies = 1 WHERE group_chat_id IS NOT NULL AND direction = 'user';
