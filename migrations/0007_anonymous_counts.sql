-- Issue 14 (Medium 2): what deleted rows leave behind for /statistik. When a person deletes
-- their data (/hapusdata) or the question log's retention removes old questions, only their
-- counts are added here (questions, unanswered, votes, hand-offs by status): numbers with no
-- link to anyone.
CREATE TABLE anonymous_counts (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL DEFAULT 0
);
