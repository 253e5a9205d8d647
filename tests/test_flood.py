"""A user flooding the bot gets one polite slow-down message and is ignored for a while;
everyone else is answered as usual."""

from __future__ import annotations

from typing import Any

from bot.clock import FakeClock
from sakpore_sim.harness import Harness


async def test_flooding_user_is_warned_once_then_ignored(
    make_settings: Any, clock: FakeClock
) -> None:
    settings = make_settings(flood_max_per_minute=5, flood_mute_seconds=120)
    async with Harness.create(settings, clock) as h:
        spammer, other = h.user(1001), h.user(1002, "Sri")
        for _ in range(5):
            assert len(await spammer.send("/bantuan")) == 1
        warning = await spammer.send("/bantuan")
        assert len(warning) == 1 and "terlalu cepat" in warning[0].plain
        for _ in range(20):
            assert await spammer.send("/bantuan") == []
            assert await spammer.send_sticker() == []
        # Someone else is not affected.
        assert len(await other.send("/bantuan")) == 1
        # After the mute the spammer is answered again.
        clock.advance(seconds=121)
        assert len(await spammer.send("/bantuan")) == 1


async def test_messages_spread_over_time_are_fine(make_settings: Any, clock: FakeClock) -> None:
    settings = make_settings(flood_max_per_minute=5)
    async with Harness.create(settings, clock) as h:
        budi = h.user()
        for _ in range(30):
            clock.advance(seconds=15)
            assert len(await budi.send("/bantuan")) == 1
        assert len(h.deps.flood) == 1
        clock.advance(minutes=5)
        h.deps.flood.check(999)  # a sweep forgets idle users
        assert len(h.deps.flood) == 1
