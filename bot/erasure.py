"""/hapusdata: everything the bot holds from one person, deleted together.

The registration and its draft, the questions the person typed (the question log) and their
conversations with the staff (hand-off threads, both ways); the Telegram first name in the
`users` row is blanked. Only anonymous counts stay (`registration_counters`,
`anonymous_counts`) so /statistik keeps its totals. The WAL is checkpointed afterwards so no
old page of the deleted rows stays in the -wal file.

What stays, and the messages say so: the `users` row without the name (the account id,
language, announcement opt-out: the bot needs them to answer the person; Telegram sends the
first name again with their next message), reminders (deleted with /pengingat), and the
bot's posts already in the staff group (the bot does not delete them).
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


async def erase_person(deps: Deps, user_id: int, registration_id: int | None) -> Erased | None:
    """Delete the person's data, as confirmed for `registration_id` (None: confirmed with no
    registration). None, and nothing erased, when the person's registration is no longer
    that one (a stale button). The registration goes last: if the process dies half-way,
    /hapusdata still finds it and the person can confirm again."""
    current = await deps.registrations.repo.get_by_user(user_id)
    if (current.id if current is not None else None) != registration_id:
        return None
    questions = await deps.questions.erase_user(user_id)
    messages = await deps.handoffs.repo.erase_user(user_id)
    await deps.users.forget_name(user_id)
    registration = await deps.registrations.delete(user_id, registration_id)
    await deps.db.checkpoint()
    return Erased(registration, questions, messages)


async def holds_data(deps: Deps, user_id: int) -> bool:
    """Whether /hapusdata has anything to delete for someone without a registration."""
    return (
        (await deps.registrations.current(user_id)).draft is not None
        or bool(await deps.questions.for_user(user_id, limit=1))
        or await deps.handoffs.repo.has_threads(user_id)
    )


async def enforce_retention(deps: Deps) -> int:
    """Delete questions older than QUESTION_RETENTION_DAYS (run by the periodic worker);
    their anonymous counts stay. Returns how many were deleted."""
    days = deps.settings.question_retention_days
    return await deps.questions.erase_before(deps.clock.now() - timedelta(days=days))
