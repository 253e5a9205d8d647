-- Monthly contribution reminders (issue 5). The table is the schedule: one periodic worker
-- claims the rows whose next_due has come, sends them, and moves next_due on.
-- Months are 'YYYY-MM' in WIB; timestamps are UTC text (ISO 8601, sortable).
CREATE TABLE reminders (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    day          INTEGER NOT NULL CHECK (day BETWEEN 0 AND 31),      -- 1-31; 0 = last day
    minute       INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439), -- minutes after 00.00 WIB
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), -- 0: stopped by the user
    paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)), -- 1: user blocked the bot
    next_due     TEXT,                    -- UTC; NULL while stopped or paused
    due_month    TEXT,                    -- the month next_due reminds about
    due_kind     TEXT    NOT NULL DEFAULT 'regular' CHECK (due_kind IN ('regular', 'snooze')),
    attempts     INTEGER NOT NULL DEFAULT 0,  -- tries that Telegram refused for now (429/5xx)
    sent_month   TEXT,                    -- newest month a reminder went out for: never twice
    paid_month   TEXT,                    -- newest month the user marked as paid
    snooze_month TEXT,                    -- the month snooze_count counts "remind me tomorrow"
    snooze_count INTEGER NOT NULL DEFAULT 0,
    rev          INTEGER NOT NULL DEFAULT 0,  -- bumped on every change (optimistic check)
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    last_sent_at TEXT
);

-- The worker's only scan: `next_due <= now ORDER BY next_due`; stopped and paused rows
-- (next_due NULL) are not in the index at all.
CREATE INDEX reminders_due ON reminders (next_due) WHERE next_due IS NOT NULL;

-- Paused reminders of users who blocked the bot; checked each tick for users who came back.
CREATE INDEX reminders_paused ON reminders (user_id) WHERE paused = 1;

-- A reminder being set up in the chat: which answer the bot waits for (so typed "5" or
-- "07.30" reaches the reminder dialogue, also after a restart).
CREATE TABLE reminder_drafts (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    step       TEXT    NOT NULL CHECK (step IN ('day', 'time')),
    day        INTEGER CHECK (day BETWEEN 0 AND 31),
    updated_at TEXT    NOT NULL
);
