"""Conversations with a person: handoffs (one thread per user at a time) and their messages."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, from_db, to_db
from bot.db import Database
from bot.pii import redact_personal_numbers
from bot.store.counters import fold_into_counters

MAX_TEXT = 4000


@dataclass(frozen=True)
class Handoff:
    id: int
    user_id: int
    status: str
    question_id: int | None
    created_at: datetime
    updated_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    claimed_by: int | None = None  # "Saya tangani" (migration 0013)
    feedback: int | None = None  # 1 helped, -1 did not

    @property
    def reference(self) -> str:
        return f"#T{self.id}"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Handoff:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            status=row["status"],
            question_id=row["question_id"],
            created_at=from_db(row["created_at"]),
            updated_at=from_db(row["updated_at"]),
            answered_at=_opt(row["answered_at"]),
            closed_at=_opt(row["closed_at"]),
            claimed_by=row["claimed_by"],
            feedback=row["feedback"],
        )


@dataclass(frozen=True)
class HandoffMessage:
    id: int
    handoff_id: int
    direction: str
    author_id: int
    text: str
    at: datetime
    group_chat_id: int | None
    group_message_id: int | None
    delivered: bool
    post_copies: int = 0  # sends tried of a user's message (migration 0008)
    file_kind: str | None = None  # "photo" or "document": a relayed file (migration 0013)
    file_id: str | None = None  # Telegram's file id only; the file itself is never stored

    @property
    def pending(self) -> bool:
        """A user's message whose post is not confirmed: under way, uncertain (timed out, or
        the process died), or refused; it is sent again (see `post_again`)."""
        return self.direction == "user" and self.group_message_id is None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> HandoffMessage:
        return cls(
            id=row["id"],
            handoff_id=row["handoff_id"],
            direction=row["direction"],
            author_id=row["author_id"],
            text=row["text"],
            at=from_db(row["at"]),
            group_chat_id=row["group_chat_id"],
            group_message_id=row["group_message_id"],
            delivered=bool(row["delivered"]),
            post_copies=row["post_copies"],
            file_kind=row["file_kind"],
            file_id=row["file_id"],
        )


def _opt(value: str | None) -> datetime | None:
    return from_db(value) if value else None


class HandoffRepo:
    """Reads and writes handoffs and handoff_messages."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def get(self, handoff_id: int) -> Handoff | None:
        row = await self.db.fetchone("SELECT * FROM handoffs WHERE id = :id", {"id": handoff_id})
        return Handoff.from_row(row) if row else None

    async def open(self, user_id: int, question_id: int | None) -> Handoff:
        """The user's open thread (its clock started again), or a new one."""
        now = to_db(self.clock.now())
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT id FROM handoffs WHERE user_id = :u AND status != 'closed'"
                " ORDER BY id DESC LIMIT 1",
                {"u": user_id},
            )
            if row is None:
                cur = await tx.execute(
                    "INSERT INTO handoffs (user_id, status, question_id, created_at, updated_at)"
                    " VALUES (:u, 'open', :q, :now, :now)",
                    {"u": user_id, "q": question_id, "now": now},
                )
                handoff_id = int(cur.lastrowid or 0)
            else:
                handoff_id = int(row["id"])
            await tx.execute(
                "UPDATE handoffs SET updated_at = :now WHERE id = :id",
                {"id": handoff_id, "now": now},
            )
            fresh = await tx.fetchone("SELECT * FROM handoffs WHERE id = :id", {"id": handoff_id})
        assert fresh is not None
        return Handoff.from_row(fresh)

    async def close(self, handoff_id: int, user_id: int) -> bool:
        now = to_db(self.clock.now())
        cur = await self.db.execute(
            "UPDATE handoffs SET status = 'closed', closed_at = :now, updated_at = :now"
            " WHERE id = :id AND user_id = :u AND status != 'closed'",
            {"id": handoff_id, "u": user_id, "now": now},
        )
        return cur.rowcount > 0

    async def claim(self, handoff_id: int, staff_id: int) -> bool:
        """ "Saya tangani": the first staff member wins; a closed thread is not claimed."""
        now = to_db(self.clock.now())
        cur = await self.db.execute(
            "UPDATE handoffs SET claimed_by = :s, claimed_at = :now, updated_at = :now"
            " WHERE id = :id AND claimed_by IS NULL AND status != 'closed'",
            {"id": handoff_id, "s": staff_id, "now": now},
        )
        return cur.rowcount > 0

    async def set_feedback(self, handoff_id: int, user_id: int, helped: bool) -> bool:
        """The person's one tap after closing; False when already given (or not theirs)."""
        cur = await self.db.execute(
            "UPDATE handoffs SET feedback = :f"
            " WHERE id = :id AND user_id = :u AND status = 'closed' AND feedback IS NULL",
            {"id": handoff_id, "u": user_id, "f": 1 if helped else -1},
        )
        return cur.rowcount > 0

    async def close_idle(self, before: datetime) -> int:
        """Close threads untouched since `before` (a new question then starts a new one)."""
        now = to_db(self.clock.now())
        cur = await self.db.execute(
            "UPDATE handoffs SET status = 'closed', closed_at = :now"
            " WHERE status != 'closed' AND updated_at < :before",
            {"now": now, "before": to_db(before)},
        )
        return cur.rowcount

    async def add_message(
        self,
        handoff_id: int,
        direction: str,
        author_id: int,
        text: str,
        *,
        group_chat_id: int | None = None,
        group_message_id: int | None = None,
        delivered: bool = False,
        question_id: int | None = None,
        file_kind: str | None = None,
        file_id: str | None = None,
    ) -> int:
        """Store one message of a thread; a staff message also marks the thread answered.

        NIK- and phone-shaped numbers are redacted from the stored copy (the group post and
        the delivered reply are sent before, from the text itself)."""
        now = to_db(self.clock.now())
        async with self.db.transaction() as tx:
            cur = await tx.execute(
                "INSERT INTO handoff_messages (handoff_id, direction, author_id, text,"
                " question_id, at, group_chat_id, group_message_id, delivered, post_copies,"
                " file_kind, file_id)"
                " VALUES (:h, :dir, :author, :text, :q, :now, :chat, :mid, :delivered,"
                " :copies, :fkind, :fid)",
                {
                    "h": handoff_id,
                    "dir": direction,
                    "author": author_id,
                    "text": redact_personal_numbers(text[:MAX_TEXT]),
                    "q": question_id,
                    "now": now,
                    "chat": group_chat_id,
                    "mid": group_message_id,
                    "delivered": int(delivered),
                    "copies": int(direction == "user" and group_chat_id is not None),
                    "fkind": file_kind,
                    "fid": file_id,
                },
            )
            if direction == "staff" and delivered:
                await tx.execute(
                    "UPDATE handoffs SET status = 'answered', updated_at = :now,"
                    " answered_at = COALESCE(answered_at, :now) WHERE id = :h",
                    {"h": handoff_id, "now": now},
                )
            else:
                await tx.execute(
                    "UPDATE handoffs SET updated_at = :now,"
                    " status = CASE WHEN status = 'closed' THEN status ELSE 'open' END"
                    " WHERE id = :h AND :dir = 'user'",
                    {"h": handoff_id, "now": now, "dir": direction},
                )
        return int(cur.lastrowid or 0)

    async def set_post(self, message_id: int, group_chat_id: int, group_message_id: int) -> None:
        await self.db.execute(
            "UPDATE handoff_messages SET group_chat_id = :chat, group_message_id = :mid,"
            " delivered = 1 WHERE id = :id",
            {"id": message_id, "chat": group_chat_id, "mid": group_message_id},
        )

    # A user's message is stored with the staff group's chat id before it is posted there
    # (pending), and its post's message id once Telegram answers (sent). A post that stays
    # pending (its send timed out, the process died before the id was saved, or Telegram
    # refused it) is sent again: by the person's retry or the resend job (bot/handoff.py). Its
    # first copy may be in the group all the same; `post_copies` counts the sends, and a staff
    # reply to a post naming its thread finds the thread (`claim_unconfirmed_post`,
    # `may_have_unknown_copy`).

    async def post_again(self, message_id: int, group_chat_id: int) -> None:
        """Another send of a pending post is about to be tried."""
        await self.db.execute(
            "UPDATE handoff_messages SET group_chat_id = :chat, post_copies = post_copies + 1"
            " WHERE id = :id AND group_message_id IS NULL",
            {"id": message_id, "chat": group_chat_id},
        )

    async def pending_posts(self, group_chat_id: int, before: datetime) -> list[HandoffMessage]:
        """Users' messages stored before `before` whose post in this chat is unconfirmed
        (refused posts, with no chat id, are sent again by the person's retry only)."""
        rows = await self.db.fetchall(
            "SELECT * FROM handoff_messages WHERE direction = 'user' AND group_chat_id = :chat"
            " AND group_message_id IS NULL AND at < :before ORDER BY id",
            {"chat": group_chat_id, "before": to_db(before)},
        )
        return [HandoffMessage.from_row(r) for r in rows]

    async def may_have_unknown_copy(self, handoff_id: int, group_chat_id: int) -> bool:
        """Whether a post of this thread whose message id is unknown may be in the chat: a
        message still pending there, or one sent more than once."""
        row = await self.db.fetchone(
            "SELECT EXISTS (SELECT 1 FROM handoff_messages WHERE handoff_id = :h"
            " AND direction = 'user' AND group_chat_id = :chat"
            " AND (group_message_id IS NULL OR post_copies > 1))",
            {"h": handoff_id, "chat": group_chat_id},
        )
        return bool(row and row[0])

    async def not_posted(self, message_id: int) -> None:
        """Telegram refused the post: it is not in the group (it may be sent again)."""
        await self.db.execute(
            "UPDATE handoff_messages SET group_chat_id = NULL WHERE id = :id"
            " AND group_message_id IS NULL",
            {"id": message_id},
        )

    async def claim_unconfirmed_post(
        self, handoff_id: int, group_chat_id: int, group_message_id: int
    ) -> bool:
        """Record `group_message_id` as the post of the thread's oldest unconfirmed message."""
        cur = await self.db.execute(
            "UPDATE handoff_messages SET group_message_id = :mid, delivered = 1"
            " WHERE id = (SELECT id FROM handoff_messages WHERE handoff_id = :h"
            " AND direction = 'user' AND group_chat_id = :chat AND group_message_id IS NULL"
            " ORDER BY id LIMIT 1)",
            {"h": handoff_id, "chat": group_chat_id, "mid": group_message_id},
        )
        return cur.rowcount > 0

    async def by_post(self, group_chat_id: int, group_message_id: int) -> Handoff | None:
        """The thread a post in the staff group belongs to."""
        row = await self.db.fetchone(
            "SELECT h.* FROM handoff_messages m JOIN handoffs h ON h.id = m.handoff_id"
            " WHERE m.group_chat_id = :chat AND m.group_message_id = :mid",
            {"chat": group_chat_id, "mid": group_message_id},
        )
        return Handoff.from_row(row) if row else None

    async def message_of_question(self, question_id: int) -> HandoffMessage | None:
        """The message that passes this FAQ question to the staff, sent or pending."""
        row = await self.db.fetchone(
            "SELECT * FROM handoff_messages WHERE question_id = :q AND direction = 'user'"
            " ORDER BY id LIMIT 1",
            {"q": question_id},
        )
        return HandoffMessage.from_row(row) if row else None

    async def messages(self, handoff_id: int) -> list[HandoffMessage]:
        rows = await self.db.fetchall(
            "SELECT * FROM handoff_messages WHERE handoff_id = :h ORDER BY id",
            {"h": handoff_id},
        )
        return [HandoffMessage.from_row(r) for r in rows]

    async def user_messages_since(self, user_id: int, since: datetime) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM handoff_messages m JOIN handoffs h ON h.id = m.handoff_id"
            " WHERE h.user_id = :u AND m.direction = 'user' AND m.at >= :since",
            {"u": user_id, "since": to_db(since)},
        )
        return int(row[0]) if row else 0

    async def has_threads(self, user_id: int) -> bool:
        """Whether the person has any thread, open or closed (for /hapusdata)."""
        row = await self.db.fetchone(
            "SELECT EXISTS (SELECT 1 FROM handoffs WHERE user_id = :u)", {"u": user_id}
        )
        return bool(row and row[0])

    async def erase_user(self, user_id: int) -> int:
        """/hapusdata: delete the person's threads and every message in them (both ways);
        only the number of threads joins the anonymous totals, as closed (a deleted thread is
        over, whatever its status). Returns how many messages were deleted."""
        async with self.db.transaction() as tx:
            threads = await tx.fetchone(
                "SELECT COUNT(*) FROM handoffs WHERE user_id = :u", {"u": user_id}
            )
            row = await tx.fetchone(
                "SELECT COUNT(*) FROM handoff_messages m JOIN handoffs h ON h.id = m.handoff_id"
                " WHERE h.user_id = :u",
                {"u": user_id},
            )
            closed = int(threads[0]) if threads else 0
            votes = await tx.fetchone(
                "SELECT COALESCE(SUM(feedback = 1), 0), COALESCE(SUM(feedback = -1), 0)"
                " FROM handoffs WHERE user_id = :u",
                {"u": user_id},
            )
            helped, not_helped = (int(votes[0]), int(votes[1])) if votes else (0, 0)
            # Not "handoffs_...": those names are thread counts (bot/store/stats.py).
            await fold_into_counters(
                tx,
                {
                    "handoffs_closed": closed,
                    "handoff_helped": helped,
                    "handoff_not_helped": not_helped,
                },
            )
            await tx.execute(
                "DELETE FROM handoff_messages WHERE handoff_id IN"
                " (SELECT id FROM handoffs WHERE user_id = :u)",
                {"u": user_id},
            )
            await tx.execute("DELETE FROM handoffs WHERE user_id = :u", {"u": user_id})
        return int(row[0]) if row else 0

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) AS n FROM handoffs GROUP BY status")
        return {str(r["status"]): int(r["n"]) for r in rows}
