-- Issue 6: staff roles, their audit trail and dialogue state; broadcasts and their recipients.

-- Staff members added by an admin with /staf. Admins (ADMIN_IDS) are staff without a row.
CREATE TABLE staff (
    user_id   INTEGER PRIMARY KEY,        -- Telegram user id
    name      TEXT    NOT NULL DEFAULT '',
    added_by  INTEGER NOT NULL,
    added_at  TEXT    NOT NULL            -- UTC, ISO 8601
);

-- Every staff action: who, what, when.
CREATE TABLE staff_audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor_id  INTEGER NOT NULL,
    action    TEXT    NOT NULL,           -- staff_add, staff_remove, broadcast_send, ...
    target    TEXT,                       -- a user id, a broadcast id ...
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX staff_audit_at ON staff_audit (at);

-- Which step of a staff dialogue (/siaran, /staf tambah) a staff member is in, so a restart
-- does not lose it. One dialogue per staff member; state is JSON.
CREATE TABLE staff_dialogs (
    user_id     INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,         -- 'broadcast', 'staff_add'
    state       TEXT    NOT NULL,         -- JSON
    updated_at  TEXT    NOT NULL
);

-- One announcement. Recipients are materialised when it starts (status scheduled -> running).
CREATE TABLE broadcasts (
    id                   INTEGER PRIMARY KEY,
    created_by           INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    kind                 TEXT    NOT NULL CHECK (kind IN ('text', 'photo', 'document')),
    body_html            TEXT    NOT NULL DEFAULT '',   -- text, or the caption, as HTML
    file_id              TEXT,                          -- photo or document (Telegram file id)
    excerpt              TEXT    NOT NULL DEFAULT '',   -- plain start of the text, for lists
    audience             TEXT    NOT NULL,              -- a name in bot.broadcast.AUDIENCES
    audience_arg         TEXT,                          -- its option (kecamatan ...), if any
    status               TEXT    NOT NULL
        CHECK (status IN ('scheduled', 'running', 'done', 'cancelled')),
    scheduled_at         TEXT    NOT NULL,              -- when to start (UTC)
    started_at           TEXT,
    finished_at          TEXT,
    cancelled_by         INTEGER,
    total                INTEGER NOT NULL DEFAULT 0,    -- recipients, set when it starts
    paused_until         TEXT,                          -- Telegram's RetryAfter, honoured
    progress_chat_id     INTEGER,                       -- where the sender sees progress
    progress_message_id  INTEGER,
    progress_text        TEXT,                          -- last text shown (no identical edits)
    progress_at          TEXT
);
CREATE INDEX broadcasts_due ON broadcasts (status, scheduled_at);

-- One row per recipient: the delivery queue.
--   pending   not sent yet (next_attempt_at: not before)
--   sending   claimed by the worker, the request is out; after a crash: uncertain
--   sent, blocked (403), failed (400 or retries used up), uncertain (timeout: maybe delivered,
--   never resent), skipped (opted out or blocked before their turn), cancelled
CREATE TABLE broadcast_recipients (
    broadcast_id     INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'blocked', 'failed', 'uncertain',
                          'skipped', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,   -- transient failures so far
    next_attempt_at  TEXT    NOT NULL,
    message_id       INTEGER,
    error            TEXT,
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (broadcast_id, user_id)
) WITHOUT ROWID;
CREATE INDEX broadcast_recipients_queue
    ON broadcast_recipients (broadcast_id, status, next_attempt_at);
