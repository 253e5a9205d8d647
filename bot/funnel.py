"""/statistik: from each poster or QR code to registrations and to "registered with BPJS"
(issue 17, item 6), as lines of text and as a chart panel. The figures come from
`bot.store.stats.poster_funnel`."""

from __future__ import annotations

import html

from babel.numbers import format_percent

from bot.charts import MAX_BARS, Section
from bot.i18n import Translator
from bot.store.stats import FunnelRow

MAX_LINES = 10
CHART_POSTERS = MAX_BARS // 3  # three bars per poster


def _share(tr: Translator, part: int, whole: int) -> str:
    return format_percent(part / whole if whole else 0.0, format="#,##0%", locale=tr.locale)


def funnel_lines(tr: Translator, rows: list[FunnelRow]) -> list[str]:
    """'<b>From posters and QR codes</b>' and one line per poster; [] when there is none."""
    if not rows:
        return []
    n = tr.number
    lines = [
        tr.gettext(
            "<b>From posters and QR codes</b> (opened the link → registered → registered with BPJS)"
        )
    ]
    for row in rows[:MAX_LINES]:
        lines.append(
            tr.gettext("• daftar_{poster}: {opened} → {registered} ({share}) → {bpjs}").format(
                poster=html.escape(row.poster),
                opened=n(row.opened),
                registered=n(row.registered),
                share=_share(tr, row.registered, row.opened),
                bpjs=n(row.bpjs),
            )
        )
    if len(rows) > MAX_LINES:
        lines.append(tr.gettext("… and {count} more").format(count=n(len(rows) - MAX_LINES)))
    return lines


def funnel_section(tr: Translator, rows: list[FunnelRow]) -> Section:
    """A chart panel: three bars per poster (the busiest CHART_POSTERS)."""
    bars: list[tuple[str, int]] = []
    for row in rows[:CHART_POSTERS]:
        bars += [
            (tr.gettext("{poster}: opened").format(poster=row.poster), row.opened),
            (tr.gettext("{poster}: registered").format(poster=row.poster), row.registered),
            (tr.gettext("{poster}: with BPJS").format(poster=row.poster), row.bpjs),
        ]
    return Section(tr.gettext("From posters and QR codes"), bars)
