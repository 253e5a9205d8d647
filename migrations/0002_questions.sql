-- Every question asked in free text, and every answer opened from the topic menu, for staff to
-- review: what people ask, what the bot answered (or that it did not know), and the vote.
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asked_at    TEXT    NOT NULL,                   -- UTC, ISO 8601
    kind        TEXT    NOT NULL DEFAULT 'text'
                CHECK (kind IN ('text', 'topic', 'suggestion')),  -- typed / menu / "Mungkin..."
    language    TEXT    NOT NULL DEFAULT 'id',
    text        TEXT    NOT NULL,                   -- as typed (at most 4096 characters)
    normalised  TEXT    NOT NULL DEFAULT '',        -- the matcher's tokens
    method      TEXT    NOT NULL DEFAULT 'match'
                CHECK (method IN ('match', 'totals', 'intent', 'abstain', 'empty', 'too_long',
                                  'menu')),
    entry_id    TEXT,                               -- knowledge-base entry answered, or NULL
    score       REAL,                               -- best matching score (0-1)
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1)),
    parent_id   INTEGER REFERENCES questions (id) ON DELETE SET NULL,  -- the unanswered question
                                                                       -- a suggestion came from
    vote        INTEGER CHECK (vote IN (-1, 1)),    -- 👍 = 1, 👎 = -1
    voted_at    TEXT
);

CREATE INDEX questions_review ON questions (answered, asked_at);
CREATE INDEX questions_entry ON questions (entry_id, vote);
CREATE INDEX questions_user ON questions (user_id, asked_at);
