"""Per-user flood control: too many updates in a minute -> one polite warning, then silence."""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock

WINDOW = timedelta(minutes=1)


class Verdict(enum.Enum):
    OK = "ok"
    WARN = "warn"  # just crossed the limit: tell the user once
    DROP = "drop"  # muted: ignore silently


@dataclass
class _Track:
    hits: deque[datetime] = field(default_factory=deque)
    muted_until: datetime | None = None


class FloodGuard:
    """Counts each user's updates in a sliding one-minute window (in memory, per process).

    Memory stays bounded: users idle for longer than the window (and not muted) are
    forgotten on the next sweep.
    """

    def __init__(self, clock: Clock, max_per_minute: int, mute_seconds: float) -> None:
        self.clock = clock
        self.max_per_minute = max_per_minute
        self.mute = timedelta(seconds=mute_seconds)
        self._tracks: dict[int, _Track] = {}
        self._last_sweep = clock.now()

    def check(self, user_id: int) -> Verdict:
        if self.max_per_minute <= 0:
            return Verdict.OK
        now = self.clock.now()
        self._sweep(now)
        track = self._tracks.setdefault(user_id, _Track())
        if track.muted_until is not None:
            if now < track.muted_until:
                return Verdict.DROP
            track.muted_until = None
            track.hits.clear()
        while track.hits and now - track.hits[0] >= WINDOW:
            track.hits.popleft()
        track.hits.append(now)
        if len(track.hits) > self.max_per_minute:
            track.muted_until = now + self.mute
            return Verdict.WARN
        return Verdict.OK

    def muted(self, user_id: int) -> bool:
        """Ignored right now? Only a look: nothing is counted. The update processor asks
        this before an update takes a slot (bot/updates.py)."""
        track = self._tracks.get(user_id)
        until = track.muted_until if track is not None else None
        return until is not None and self.clock.now() < until

    def _sweep(self, now: datetime) -> None:
        if now - self._last_sweep < WINDOW:
            return
        self._last_sweep = now
        idle = [
            uid
            for uid, t in self._tracks.items()
            if (t.muted_until is None or t.muted_until <= now)
            and (not t.hits or now - t.hits[-1] >= WINDOW)
        ]
        for uid in idle:
            del self._tracks[uid]

    def __len__(self) -> int:
        return len(self._tracks)
