"""Timing helpers shared by the scripts in bench/ (they import nothing of the bot:
bench/faq_pair.py times another checkout's)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


def percentile(values: list[float], q: float) -> float:
    """The value at quantile `q` (0-1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(ask: Callable[[str], object], texts: Iterable[str]) -> list[float]:
    """How many milliseconds `ask` took on each text, asked once, in order."""
    latencies = []
    for text in texts:
        started = time.perf_counter()
        ask(text)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies
