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
    return timed_with_cpu(ask, texts)[0]


def timed_with_cpu(
    ask: Callable[[str], object], texts: Iterable[str]
) -> tuple[list[float], list[float]]:
    """`timed`, and beside it the milliseconds of CPU this thread spent on each text: what
    the code costs, without the time the machine gave to other processes (on a shared
    server the first is noisy, the second much less)."""
    latencies, cpu = [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.thread_time()
        ask(text)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, cpu
