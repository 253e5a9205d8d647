"""Which people may be in the middle of a dialogue: an in-memory index for the hot path.

Every private message asks "is this person in a dialogue?" (the `dialogs` table: the
registration, the reminder set-up, the hand-off wait, staff dialogues). Nearly everyone is in
none, so its repository keeps a `PresenceIndex`: a set of user ids that is a *superset* of
the users with a row. A lookup for anyone outside the set
is answered without the database; anyone inside it is looked up as before.

The invariants that keep it a superset:

- `add()` is called before the row is written, by the repository method that writes it (the
  only writer of that table), so no row exists without its id in the set.
- Until `load()` has run, `may_have()` answers True for everyone (the database decides).
  Ids added before or during the load are kept: the load only adds.
- `lookup()` forgets an id only when the lookup found no row and nothing was added while it
  was on its way, so a concurrent write is never forgotten.

One process owns the database (docs/deploy.md); the command-line tools do not write these
tables (`sakpore-bot chat` uses a database of its own when a token is configured). The index
lives as long as the process; a restart loads it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.db import Queryable

T = TypeVar("T")


class PresenceIndex:
    """A superset of the user ids that have a row in one per-user table."""

    def __init__(self, load_sql: str) -> None:
        self._load_sql = load_sql
        self._ids: set[int] = set()
        self._loaded = False
        self._adds = 0

    async def load(self, q: Queryable) -> None:
        """Read the ids from the table (at start-up, before updates are processed)."""
        rows = await q.fetchall(self._load_sql)
        self._ids.update(int(row[0]) for row in rows)
        self._loaded = True

    @property
    def loaded(self) -> bool:
        return self._loaded

    def may_have(self, user_id: int) -> bool:
        """False only when the user certainly has no row."""
        return not self._loaded or user_id in self._ids

    def add(self, user_id: int) -> None:
        """The user is about to get a row: call before writing it."""
        self._ids.add(user_id)
        self._adds += 1

    async def lookup(self, user_id: int, fetch: Callable[[], Awaitable[T | None]]) -> T | None:
        """`fetch()` the user's row, or None without asking when the user certainly has none.

        When the row is not there the id is forgotten, unless a row was added while `fetch`
        was on its way.
        """
        if not self.may_have(user_id):
            return None
        adds = self._adds
        found = await fetch()
        if found is None and self._adds == adds:
            self._ids.discard(user_id)
        return found

    def __len__(self) -> int:
        return len(self._ids)
