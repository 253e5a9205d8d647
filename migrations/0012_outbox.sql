-- Issue 17: messages the bot sends on its own besides reminders and broadcasts, one row
-- each, written before anything is sent (bot/outbox.py):
--   'status'  a person is told that staff changed their registration's status (/pendaftar)
--   'digest'  the daily digest in the staff group, at most one per local date (dedupe_key)
-- The worker claims a row ('pending' -> 'sending') in one transaction before the send; a row
-- found in 'sending' at the next run was in flight at a crash and becomes 'uncertain' (never
-- resent). Payloads hold ids and times only, never personal data.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('status', 'digest')),
    chat_id         INTEGER NOT NULL,                 -- the person, or STAFF_CHAT_ID
    registration_id INTEGER REFERENCES registrations (id) ON DELETE CASCADE,
    dedupe_key      TEXT    UNIQUE,                   -- 'digest:2026-12-02'
    payload         TEXT    NOT NULL DEFAULT '{}',    -- JSON
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN (
        'pending', 'sending', 'sent', 'uncertain', 'failed', 'blocked', 'cancelled')),
    due_at          TEXT    NOT NULL,                 -- UTC; not sent before
    attempts        INTEGER NOT NULL DEFAULT 0,       -- sends Telegram refused for now (5xx)
    error           TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    sent_at         TEXT
);
-- The worker's scans: due rows, and rows left 'sending' by a crash.
CREATE INDEX outbox_open ON outbox (state, due_at) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_registration ON outbox (registration_id) WHERE registration_id IS NOT NULL;
CREATE INDEX outbox_kind ON outbox (kind, id);

-- Extra days the office is closed (cuti bersama not in the calendar yet, local events), added
-- by staff with /libur; Indonesia's public holidays come from the `holidays` package.
CREATE TABLE closed_days (
    day      TEXT    PRIMARY KEY,                      -- local date, YYYY-MM-DD
    note     TEXT    NOT NULL,                         -- shown to staff ("Cuti bersama")
    added_by INTEGER NOT NULL,
    added_at TEXT    NOT NULL
);
