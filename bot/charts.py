"""Simple horizontal bar charts as PNG, drawn with Pillow (for /statistik).

Pillow rather than matplotlib: a few labelled bars need no plotting stack; Pillow is one
small, maintained wheel that imports in milliseconds, and its built-in scalable font
(ImageFont.load_default(size=...), Pillow >= 10.1) needs no system fonts on the server.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH = 900
MARGIN = 24
BAR_HEIGHT = 26
BAR_GAP = 10
TITLE_SIZE = 26
LABEL_SIZE = 20
LABEL_WIDTH = 330
COLOURS = ("#1f6f8b", "#e07a1f", "#3d9a4f", "#b23a48", "#6b5b95", "#8a8a8a")
BACKGROUND = "#ffffff"
TEXT = "#222222"
MAX_BARS = 12


_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Section:
    """One panel: a title and (label, value) bars, drawn in the given order."""

    title: str
    bars: Sequence[tuple[str, int]]


def _fit(draw: ImageDraw.ImageDraw, text: str, font: _Font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(sections: Sequence[Section], number: Callable[[int], str] = str) -> bytes:
    """A PNG with one panel per section (empty sections are left out). `number` prints a
    value (Babel-formatted for the staff member's language)."""
    shown = [s for s in sections if s.bars]
    title_font = ImageFont.load_default(size=TITLE_SIZE)
    label_font = ImageFont.load_default(size=LABEL_SIZE)
    height = MARGIN
    for section in shown:
        count = min(len(section.bars), MAX_BARS)
        height += TITLE_SIZE + 14 + count * (BAR_HEIGHT + BAR_GAP) + MARGIN
    image = Image.new("RGB", (WIDTH, max(height, 2 * MARGIN)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for index, section in enumerate(shown):
        draw.text((MARGIN, y), section.title, fill=TEXT, font=title_font)
        y += TITLE_SIZE + 14
        bars = list(section.bars)[:MAX_BARS]
        top = max((v for _, v in bars), default=0) or 1
        bar_left = MARGIN + LABEL_WIDTH + 10
        bar_room = WIDTH - bar_left - MARGIN - 90
        colour = COLOURS[index % len(COLOURS)]
        for label, value in bars:
            text = _fit(draw, label, label_font, LABEL_WIDTH)
            draw.text((MARGIN, y + 2), text, fill=TEXT, font=label_font)
            length = max(2, round(bar_room * value / top)) if value else 0
            if length:
                draw.rectangle((bar_left, y, bar_left + length, y + BAR_HEIGHT), fill=colour)
            draw.text((bar_left + length + 8, y + 2), number(value), fill=TEXT, font=label_font)
            y += BAR_HEIGHT + BAR_GAP
        y += MARGIN
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
