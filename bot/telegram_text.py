"""Telegram's text rules that the bot itself needs: its HTML subset and how it counts length.

The knowledge-base checks refuse an answer Telegram would refuse, and broadcasts and hand-off
messages are cut to Telegram's limits, which count UTF-16 code units. The limits themselves
come from `telegram.constants` (MessageLimit). The in-memory Bot API (sakpore_sim) applies the
same HTML check to every message the bot sends.
"""

from __future__ import annotations

import re
from functools import lru_cache

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*>")
_SPECIAL_RE = re.compile(r"[<>&]")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlError(ValueError):
    """Text Telegram would refuse with "Bad Request: can't parse entities: <problem>"."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _offset(text: str, index: int) -> str:
    return f"at byte offset {len(text[:index].encode())}"


@lru_cache(maxsize=4096)
def parse_html(text: str) -> str:
    """Validate Telegram-flavoured HTML and return the plain text; raise HtmlError.

    It is slightly stricter than Telegram about a bare '>', on purpose. Plain text is copied a
    run at a time (up to the next '<', '&' or '>'), and results are cached, as a bot sends the
    same texts over and over (the simulator checks every message of the load benchmark).
    Errors are raised anew each time (lru_cache does not keep exceptions)."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while (special := _SPECIAL_RE.search(text, i)) is not None:
        if special.start() > i:  # plain text up to the next '<', '&' or '>'
            out.append(text[i : special.start()])
        i = special.start()
        ch = text[i]
        if ch == "<":
            match = _TAG_RE.match(text, i)
            if not match:
                raise HtmlError(f"Unexpected end of name token {_offset(text, i)}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                kind = "end" if closing else "start"
                raise HtmlError(f'Unsupported {kind} tag "{name}" {_offset(text, i)}')
            if closing:
                if not stack or stack[-1] != name:
                    opened = stack[-1] if stack else name
                    raise HtmlError(f'Can\'t find end tag corresponding to start tag "{opened}"')
                stack.pop()
            else:
                if name == "a" and "href" not in attrs:
                    raise HtmlError("empty href")
                stack.append(name)
            i = match.end()
        elif ch == "&":
            match = _ENTITY_RE.match(text, i)
            if not match:
                raise HtmlError(f"Unsupported HTML entity {_offset(text, i)}")
            ent = match.group(1)
            if ent in _NAMED:
                out.append(_NAMED[ent])
            else:
                code = int(ent[2:], 16) if ent.startswith("#x") else int(ent[1:])
                out.append(chr(code) if 0 < code < 0x110000 else "\ufffd")
            i = match.end()
        else:
            # Telegram tolerates a bare '>' but we keep the bot honest about escaping.
            raise HtmlError(f"Unexpected '>' {_offset(text, i)}")
    out.append(text[i:])
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)
