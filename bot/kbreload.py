"""/muatulang: load the knowledge base again without a restart.

The files are validated exactly as `sakpore-bot kb check` does (bot.faq.service.check_directory,
through FaqService.load); only a knowledge base without problems replaces the one in use. The
swap is one assignment (`deps.faq = new`) on the event loop: a question being answered keeps
the service it started with, the next one gets the new one. On any problem the old knowledge
base stays and the problems (file and entry) are returned.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import LOCALES_DIR
from bot.faq.kb import KnowledgeBaseError, Problem
from bot.faq.matcher import MATCHING_FILE

if TYPE_CHECKING:
    from bot.context import Deps

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    changed: bool = False
    entries: dict[str, int] = field(default_factory=dict)  # per language, when ok
    problems: list[Problem] = field(default_factory=list)


def reload_knowledge(deps: Deps) -> ReloadResult:
    """Validate and load the knowledge-base files; swap them in only when valid."""
    settings = deps.settings
    directory = settings.faq_dir or LOCALES_DIR
    try:
        # the staff changes (issue 16) stay a layer over the reloaded files
        fresh = deps.kb.build(deps.kb.layer())
    except KnowledgeBaseError as exc:
        logger.warning("knowledge base not reloaded: %s problem(s)", len(exc.problems))
        return ReloadResult(False, problems=list(exc.problems))
    except (tomllib.TOMLDecodeError, ValueError, OSError) as exc:
        # faq_matching.toml is read after the entries: a broken one is reported here
        problem = Problem(str(directory / MATCHING_FILE), None, str(exc))
        logger.warning("knowledge base not reloaded: %s", exc)
        return ReloadResult(False, problems=[problem])
    changed = fresh.knowledge is not deps.faq.knowledge
    fresh.warm(deps.i18n.translators)  # a few ms when the files did not change
    deps.faq = fresh
    entries = {loc: len(k.kb.entries) for loc, k in fresh.knowledge.locales.items()}
    logger.info("knowledge base reloaded (changed: %s): %s", changed, entries)
    return ReloadResult(True, changed, entries)
