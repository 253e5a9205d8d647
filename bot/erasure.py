"""/hapusdata: everything the bot holds from one person, deleted together.

The registration and its draft, the questions the person typed (the question log) and their
conversations with the staff (hand-off threads, both ways). Only anonymous counts stay
(`registration_counters`, `anonymous_counts`) so /statistik keeps its totals. The WAL is
checkpointed afterwards so no old page of the deleted rows stays in the -wal file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.context import Deps


@dataclass(frozen=True)
class Erased:
    """What one erasure deleted (for the message to the person)."""

    registration: bool
    questions: int
    handoff_messages: int

    @property
    def anything(self) -> bool:
        return self.registration or self.questions > 0 or self.handoff_messages > 0


async def erase_person(deps: Deps, user_id: int, registration_id: int | None = None) -> Erased:
    """Delete the person's data. The registration goes last: if the process dies half-way,
    /hapusdata still finds it and the person can confirm again."""
    questions = await deps.questions.erase_user(user_id)
    messages = await deps.handoffs.repo.erase_user(user_id)
    registration = await deps.registrations.delete(user_id, registration_id)
    await deps.db.checkpoint()
    return Erased(registration, questions, messages)


async def enforce_retention(deps: Deps) -> int:
    """Delete questions older than QUESTION_RETENTION_DAYS (run by the periodic worker);
    their anonymous counts stay. Returns how many were deleted."""
    days = deps.settings.question_retention_days
    return await deps.questions.erase_before(deps.clock.now() - timedelta(days=days))
