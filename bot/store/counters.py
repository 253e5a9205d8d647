"""anonymous_counts: totals kept for /statistik after the rows they counted were deleted."""

from __future__ import annotations

from collections.abc import Mapping

from bot.db import Queryable


async def fold_into_counters(db: Queryable, counts: Mapping[str, int]) -> None:
    """Add `counts` to the anonymous totals (inside the caller's transaction)."""
    await db.executemany(
        "INSERT INTO anonymous_counts (name, value) VALUES (:name, :n)"
        " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
        [{"name": name, "n": n} for name, n in counts.items() if n],
    )


async def anonymous_counts(db: Queryable) -> dict[str, int]:
    rows = await db.fetchall("SELECT name, value FROM anonymous_counts")
    return {str(r["name"]): int(r["value"]) for r in rows}
