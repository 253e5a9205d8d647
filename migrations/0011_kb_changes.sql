-- Issue 16: staff change the knowledge base from Telegram. Each change is a version, applied as
-- a layer over the shipped locales/<lang>/faq.toml when the knowledge base is loaded
-- (bot/faq/layer.py; the merge rule is in docs/faq-staff.md). Being in this file, the changes
-- are in every `sakpore-bot backup`.
CREATE TABLE kb_changes (
    id           INTEGER PRIMARY KEY,                 -- the version number shown to staff
    author_id    INTEGER NOT NULL,                    -- Telegram user id; 0 = `kb import`
    author       TEXT    NOT NULL DEFAULT '',         -- 'import' for `kb import`, else ''
    created_at   TEXT    NOT NULL,                    -- UTC, ISO 8601
    reason       TEXT    NOT NULL DEFAULT '',         -- why (shown in /jawaban riwayat)
    locale       TEXT    NOT NULL,                    -- 'id' or 'en'
    entry_id     TEXT    NOT NULL,
    kind         TEXT    NOT NULL,                    -- add_phrasing, set_answer, restore, ...
    change       TEXT    NOT NULL,                    -- the change as JSON (bot/faq/layer.Change)
    base_hash    TEXT,                                -- hash of the shipped entry it was made on
    status       TEXT    NOT NULL
        CHECK (status IN ('live', 'pending', 'held', 'rejected', 'superseded')),
    approved_by  INTEGER,                             -- second staff member / admin, if needed
    decided_at   TEXT,
    gate         TEXT    NOT NULL DEFAULT '',         -- the accuracy gate's result (JSON)
    snapshot     TEXT                                 -- the entry once live (for a restore)
);
CREATE INDEX kb_changes_entry ON kb_changes (locale, entry_id, status);
CREATE INDEX kb_changes_status ON kb_changes (status);
