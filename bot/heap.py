"""Keep the start-up heap out of the garbage collector's way.

At start the bot loads data that lives as long as the process: the knowledge base and its
indexes, the Sastrawi stemmer's dictionary, the translation catalogues, the places and
occupations, python-telegram-bot itself. Python's cyclic garbage collector walks every one of
those objects on each full collection, and a busy bot allocates fast enough (every Bot API
call builds and parses Telegram objects) to run full collections often. `gc.freeze()` moves
everything alive now into the permanent generation, which collections skip: in bench/load.py
that is about 10 % more updates per second (docs/benchmarks.md).

The cost: an object frozen here is never freed by the cyclic collector (reference counting
still frees it). The one large structure that is replaced while the bot runs is the
knowledge base (/muatulang), so `reload_settled` unfreezes, collects the old one and
freezes again.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


def settle() -> None:
    """After start-up: collect once, then freeze what is left (it stays for good)."""
    gc.unfreeze()  # a second start-up in the same process (tests, benchmarks) starts afresh
    gc.collect()
    gc.freeze()
    logger.debug("heap settled: %s objects frozen", gc.get_freeze_count())


def reload_settled() -> None:
    """After something long-lived was replaced: free the old one, freeze the new one. Only
    when the heap was settled at start (`sakpore-bot run`), else nothing."""
    if gc.get_freeze_count():
        settle()
