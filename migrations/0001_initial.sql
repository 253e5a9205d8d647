-- Everyone who has written to the bot in a private chat.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,              -- Telegram user id (= private chat id)
    first_name    TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT 'id',    -- 'id' or 'en'
    first_seen    TEXT    NOT NULL,                 -- UTC, ISO 8601
    last_seen     TEXT    NOT NULL,
    start_payload TEXT,                             -- deep-link payload of the first /start
    opted_out     INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),  -- /berhenti
    blocked_at    TEXT                              -- set when Telegram answers 403
);

CREATE INDEX users_audience ON users (opted_out, blocked_at);
