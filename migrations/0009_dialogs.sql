-- Issue 15: one table for every dialogue in progress (bot/dialogs.py), replacing
-- reminder_drafts, staff_dialogs and the hand-off "awaiting text" flag; registration_drafts
-- is copied too and dropped once registration runs on this table.
-- One dialogue per person: `kind` names it, `step` is the question it waits for, `nonce` is
-- in its buttons' callback data (old buttons are recognised), `state` is its typed state as
-- JSON, or, for kinds that hold personal data, that JSON encrypted (Fernet, bot/crypto.py,
-- the key of the registrations).
CREATE TABLE dialogs (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    step       TEXT    NOT NULL,
    nonce      TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,                          -- UTC, ISO 8601
    updated_at TEXT    NOT NULL
);

-- The expiry job's scan: the oldest first.
CREATE INDEX dialogs_updated ON dialogs (updated_at);

-- The open drafts, carried over. Someone with several (the old handlers let two be open)
-- keeps the one that took their typed messages: the old routing asked a staff dialogue
-- first, then the hand-off wait, the registration, the reminder set-up.
INSERT OR IGNORE INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)
SELECT user_id,
       kind,
       CASE WHEN kind = 'broadcast' THEN COALESCE(json_extract(state, '$.step'), 'content')
            ELSE 'who' END,
       lower(hex(randomblob(3))),
       json_remove(state, '$.step'),
       updated_at,
       updated_at
FROM staff_dialogs WHERE kind IN ('broadcast', 'staff_add');

INSERT OR IGNORE INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)
SELECT user_id, 'handoff', 'text', lower(hex(randomblob(3))), '{}',
       MAX(COALESCE(awaiting_since, updated_at)), MAX(COALESCE(awaiting_since, updated_at))
FROM handoffs WHERE awaiting_text = 1 AND status != 'closed' GROUP BY user_id;

-- data_enc is already the encrypted JSON of the answers, under the same key.
INSERT OR IGNORE INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)
SELECT user_id, CASE WHEN mode = 'edit' THEN 'registration_edit' ELSE 'registration' END,
       step, nonce, data_enc, created_at, updated_at
FROM registration_drafts;

INSERT OR IGNORE INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)
SELECT user_id, 'reminder', step, lower(hex(randomblob(3))), json_object('day', day),
       updated_at, updated_at
FROM reminder_drafts;

DROP TABLE reminder_drafts;
DROP TABLE staff_dialogs;
ALTER TABLE handoffs DROP COLUMN awaiting_since;
ALTER TABLE handoffs DROP COLUMN awaiting_text;
