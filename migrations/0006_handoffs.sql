-- Issue 6 (rest): conversations with a person ("Tanya petugas").
-- A user's question is posted in the staff group (STAFF_CHAT_ID) with a reference #T<id>;
-- a staff member who replies to it there has the reply delivered to the user by the bot.
-- One open thread per user: further questions and the user's answers join it.
CREATE TABLE handoffs (
    id             INTEGER PRIMARY KEY,              -- the reference: #T<id>
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'answered', 'closed')),
    -- 1 while the bot waits for the user to type a message for the staff (question or answer)
    awaiting_text  INTEGER NOT NULL DEFAULT 0 CHECK (awaiting_text IN (0, 1)),
    awaiting_since TEXT,
    question_id    INTEGER REFERENCES questions (id) ON DELETE SET NULL,  -- from the FAQ, if any
    created_at     TEXT    NOT NULL,                  -- UTC, ISO 8601
    updated_at     TEXT    NOT NULL,
    answered_at    TEXT,                              -- first staff reply
    closed_at      TEXT
);
CREATE INDEX handoffs_user ON handoffs (user_id, status);

-- Every message of a thread. For a user's message, group_message_id is the bot's post of it in
-- the staff group: a reply to that post belongs to this thread.
CREATE TABLE handoff_messages (
    id               INTEGER PRIMARY KEY,
    handoff_id       INTEGER NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    direction        TEXT    NOT NULL CHECK (direction IN ('user', 'staff')),
    author_id        INTEGER NOT NULL,                -- the user, or the staff member
    text             TEXT    NOT NULL,
    question_id      INTEGER,                         -- the FAQ question it forwards, if any
    at               TEXT    NOT NULL,
    group_chat_id    INTEGER,
    group_message_id INTEGER,
    delivered        INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
);
CREATE INDEX handoff_messages_thread ON handoff_messages (handoff_id, id);
CREATE UNIQUE INDEX handoff_messages_post
    ON handoff_messages (group_chat_id, group_message_id) WHERE group_message_id IS NOT NULL;
CREATE INDEX handoff_messages_question
    ON handoff_messages (question_id) WHERE question_id IS NOT NULL;
