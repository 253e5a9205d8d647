"""The questions table: free-text questions and answers shown, with the users' votes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal

from bot.clock import Clock, from_db, to_db
from bot.db import Database
from bot.pii import redact_personal_numbers
from bot.store.counters import fold_into_counters

MAX_TEXT = 4096

QuestionKind = Literal["text", "topic", "suggestion"]


class VoteResult(Enum):
    RECORDED = "recorded"  # first vote
    CHANGED = "changed"  # 👍 after 👎 or the other way round
    UNCHANGED = "unchanged"  # the same button again (a double tap)
    NOT_FOUND = "not_found"  # no such question for this user


@dataclass(frozen=True)
class Question:
    id: int
    user_id: int
    asked_at: datetime
    kind: str
    language: str
    text: str
    normalised: str
    method: str
    entry_id: str | None
    score: float | None
    answered: bool
    parent_id: int | None
    vote: int | None
    voted_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Question:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            asked_at=from_db(row["asked_at"]),
            kind=row["kind"],
            language=row["language"],
            text=row["text"],
            normalised=row["normalised"],
            method=row["method"],
            entry_id=row["entry_id"],
            score=row["score"],
            answered=bool(row["answered"]),
            parent_id=row["parent_id"],
            vote=row["vote"],
            voted_at=from_db(row["voted_at"]) if row["voted_at"] else None,
        )


class QuestionRepo:
    """Reads and writes questions rows."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def add(
        self,
        user_id: int,
        text: str,
        *,
        kind: QuestionKind = "text",
        language: str = "id",
        normalised: str = "",
        method: str = "match",
        entry_id: str | None = None,
        score: float | None = None,
        answered: bool,
        parent_id: int | None = None,
    ) -> int:
        """Store one question (or one answer opened from a button); return its id.

        NIK- and phone-shaped numbers are redacted first: the log never holds them."""
        cur = await self.db.execute(
            "INSERT INTO questions (user_id, asked_at, kind, language, text, normalised, method,"
            " entry_id, score, answered, parent_id)"
            " VALUES (:user_id, :at, :kind, :language, :text, :normalised, :method, :entry_id,"
            " :score, :answered, :parent_id)",
            {
                "user_id": user_id,
                "at": to_db(self.clock.now()),
                "kind": kind,
                "language": language,
                "text": redact_personal_numbers(text[:MAX_TEXT]),
                "normalised": redact_personal_numbers(normalised[:MAX_TEXT]),
                "method": method,
                "entry_id": entry_id,
                "score": None if score is None else round(score, 4),
                "answered": int(answered),
                "parent_id": parent_id,
            },
        )
        question_id = cur.lastrowid
        assert question_id is not None
        return question_id

    async def get(self, question_id: int) -> Question | None:
        row = await self.db.fetchone("SELECT * FROM questions WHERE id = :id", {"id": question_id})
        return Question.from_row(row) if row else None

    async def vote(self, question_id: int, user_id: int, vote: int) -> VoteResult:
        """Record 👍 (1) or 👎 (-1) on the user's own question; a repeated tap changes nothing."""
        if vote not in (1, -1):
            raise ValueError("vote must be 1 or -1")
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT vote FROM questions WHERE id = :id AND user_id = :user_id",
                {"id": question_id, "user_id": user_id},
            )
            if row is None:
                return VoteResult.NOT_FOUND
            if row["vote"] == vote:
                return VoteResult.UNCHANGED
            await tx.execute(
                "UPDATE questions SET vote = :vote, voted_at = :at WHERE id = :id",
                {"id": question_id, "vote": vote, "at": to_db(self.clock.now())},
            )
        return VoteResult.RECORDED if row["vote"] is None else VoteResult.CHANGED

    async def for_user(self, user_id: int, limit: int = 100) -> list[Question]:
        rows = await self.db.fetchall(
            "SELECT * FROM questions WHERE user_id = :user_id ORDER BY id DESC LIMIT :limit",
            {"user_id": user_id, "limit": limit},
        )
        return [Question.from_row(r) for r in rows]

    async def unanswered(self, limit: int = 50) -> list[Question]:
        """The newest free-text questions the bot could not answer (for staff review)."""
        rows = await self.db.fetchall(
            "SELECT * FROM questions WHERE answered = 0 AND kind = 'text'"
            " ORDER BY asked_at DESC, id DESC LIMIT :limit",
            {"limit": limit},
        )
        return [Question.from_row(r) for r in rows]

    async def erase_user(self, user_id: int) -> int:
        """/hapusdata: delete the person's questions; their counts join the anonymous totals."""
        return await self._erase("user_id = :u", {"u": user_id})

    async def erase_before(self, before: datetime) -> int:
        """Retention: delete questions asked before `before`, keeping anonymous totals."""
        return await self._erase("asked_at < :before", {"before": to_db(before)})

    async def _erase(self, condition: str, params: dict[str, object]) -> int:
        # `condition` is one of the two constants above.
        where = f" FROM questions WHERE {condition}"
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT COUNT(*) AS n,"
                " COALESCE(SUM(kind = 'text'), 0) AS typed,"
                " COALESCE(SUM(kind = 'text' AND answered = 0), 0) AS unanswered,"
                " COALESCE(SUM(vote = 1), 0) AS up, COALESCE(SUM(vote = -1), 0) AS down" + where,
                params,
            )
            if row is None or not row["n"]:
                return 0
            await fold_into_counters(
                tx,
                {
                    "questions": int(row["typed"]),
                    "unanswered": int(row["unanswered"]),
                    "thumbs_up": int(row["up"]),
                    "thumbs_down": int(row["down"]),
                },
            )
            await tx.execute("DELETE" + where, params)
        return int(row["n"])

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM questions")
        return int(row[0]) if row else 0

    async def frequent(
        self, which: Literal["unanswered", "disliked"], since: datetime, limit: int = 10
    ) -> list[QuestionGroup]:
        """The most frequent unanswered (or 👎) questions since `since`, grouped by their
        normalised text (the raw text, lower-cased, when normalisation found no words)."""
        condition = "answered = 0 AND kind = 'text'" if which == "unanswered" else "vote = -1"
        # One max() only: SQLite then takes the bare columns (text, asked_at) from the newest
        # row of each group. `condition` is one of the two constants above.
        sql = (
            "SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS people, MAX(id) AS newest,"  # noqa: S608
            " text AS example, asked_at AS last, GROUP_CONCAT(DISTINCT entry_id) AS entries"
            f" FROM questions WHERE {condition} AND asked_at >= :since"
            " GROUP BY COALESCE(NULLIF(normalised, ''), LOWER(TRIM(text)))"
            " ORDER BY n DESC, newest DESC LIMIT :limit"
        )
        rows = await self.db.fetchall(
            sql,
            {"since": to_db(since), "limit": limit},
        )
        return [
            QuestionGroup(
                count=int(r["n"]),
                people=int(r["people"]),
                last=from_db(r["last"]),
                example=str(r["example"] or ""),
                entries=tuple(sorted(str(r["entries"]).split(","))) if r["entries"] else (),
            )
            for r in rows
        ]

    async def review(self, since: datetime, limit: int = 500) -> list[ReviewGroup]:
        """Unanswered and 👎 questions since `since`, grouped, newest group first."""
        return await review_groups(self.db, since, limit)


@dataclass(frozen=True)
class QuestionGroup:
    """Questions with the same normalised text: how often, by how many people, an example."""

    count: int
    people: int
    last: datetime
    example: str  # the newest wording
    entries: tuple[str, ...]  # knowledge-base entries answered (for 👎)


@dataclass(frozen=True)
class ReviewGroup:
    """/pertanyaan's review loop (issue 16): questions with the same normalised text that the
    bot did not answer or that were rated 👎."""

    key: str  # the normalised text (the raw text, lower-cased, when it had no words)
    count: int
    people: int
    newest_id: int  # the newest question of the group: its text is the example
    example: str
    last: datetime
    unanswered: int
    disliked: int
    entries: tuple[str, ...]  # entries answered (for 👎)


async def review_groups(db: Database, since: datetime, limit: int = 500) -> list[ReviewGroup]:
    """The groups asked since `since`, newest first."""
    rows = await db.fetchall(
        "SELECT COALESCE(NULLIF(normalised, ''), LOWER(TRIM(text))) AS k, COUNT(*) AS n,"
        " COUNT(DISTINCT user_id) AS people, MAX(id) AS newest, text AS example,"
        " asked_at AS last, SUM(answered = 0 AND kind = 'text') AS unanswered,"
        " SUM(vote = -1) AS disliked, GROUP_CONCAT(DISTINCT entry_id) AS entries"
        " FROM questions WHERE ((answered = 0 AND kind = 'text') OR vote = -1)"
        " AND asked_at >= :since GROUP BY k ORDER BY newest DESC LIMIT :limit",
        {"since": to_db(since), "limit": limit},
    )
    return [
        ReviewGroup(
            key=str(r["k"]),
            count=int(r["n"]),
            people=int(r["people"]),
            newest_id=int(r["newest"]),
            example=str(r["example"] or ""),
            last=from_db(r["last"]),
            unanswered=int(r["unanswered"] or 0),
            disliked=int(r["disliked"] or 0),
            entries=tuple(sorted(str(r["entries"]).split(","))) if r["entries"] else (),
        )
        for r in rows
    ]
