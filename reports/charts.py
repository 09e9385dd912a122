"""Server-side SVG bar charts for the statistics, the same on the HR page and in the PDF.

Readable without colour: every series has its own fill pattern (solid, hatched, dotted) as well as a
shade, every bar carries its value as text, and suppressed values are written out as "skjult" on an
outlined, empty bar. Each chart is an `<svg role="img">` with a `<title>` and `<desc>`, and comes with a
data table (`headers`, `rows`) that the templates print as its text alternative.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK, MUTED = "#1a1a1a", "#555555"
PATTERNS = (
    # (pattern id suffix, shade, pattern body)
    ("solid", "#0b5394", ""),
    ("hatch", "#6b3fa0", '<path d="M0,6 L6,0" stroke="#ffffff" stroke-width="1.5"/>'),
    ("dots", "#1f6f43", '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>'),
)
WIDTH = 640


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def labelled_rows(self) -> list:
        return _labelled(self.headers, self.rows)


def percent(value) -> str:
    return f"{number_format(round(value * 100), 0)} %"


def decimal(value, places=1) -> str:
    return number_format(value, places)


def _defs(chart_id: str) -> SafeString:
    parts = []
    for name, shade, body in PATTERNS:
        parts.append(
            format_html(
                '<pattern id="{}-{}" width="6" height="6" patternUnits="userSpaceOnUse">'
                '<rect width="6" height="6" fill="{}"/>{}</pattern>',
                chart_id,
                name,
                shade,
                mark_safe(body),  # noqa: S308 - constant markup from PATTERNS
            )
        )
    return mark_safe("<defs>" + "".join(parts) + "</defs>")  # noqa: S308 - built with format_html


def _svg(chart_id: str, title: str, description: str, height: int, body: list) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{}" '
        'aria-describedby="{}-desc" viewBox="0 0 {} {}" width="100%" '
        'font-family="DejaVu Sans, sans-serif" font-size="12">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        title,
        chart_id,
        WIDTH,
        height,
        chart_id,
        title,
        chart_id,
        description,
        _defs(chart_id),
        format_html_join("", "{}", ((part,) for part in body)),
    )


def _legend(chart_id: str, labels: list, y: int) -> list:
    parts, x = [], 10
    for i, label in enumerate(labels):
        name = PATTERNS[i % len(PATTERNS)][0]
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="url(#{}-{})" stroke="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                x,
                y,
                chart_id,
                name,
                INK,
                x + 20,
                y + 12,
                INK,
                label,
            )
        )
        x += 30 + 8 * len(str(label))
    return parts


def _bar(chart_id, series, x, y, width, height, label) -> SafeString:
    """One bar with its value written next to it, or an outlined empty bar marked as hidden."""
    if width is None:
        return format_html(
            '<rect x="{}" y="{}" width="40" height="{}" fill="none" stroke="{}" stroke-dasharray="3 2"/>'
            '<text x="{}" y="{}" fill="{}">{}</text>',
            x,
            y,
            height,
            MUTED,
            x + 46,
            y + height - 3,
            MUTED,
            _("skjult"),
        )
    name = PATTERNS[series % len(PATTERNS)][0]
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-{})" stroke="{}"/>'
        '<text x="{}" y="{}" fill="{}">{}</text>',
        x,
        y,
        max(width, 1),
        height,
        chart_id,
        name,
        INK,
        x + max(width, 1) + 6,
        y + height - 3,
        INK,
        label,
    )


def horizontal_bars(chart_id, title, description, categories, series_labels, values, formatter, maximum):
    """Grouped horizontal bars: one group per category, one bar per series; values[i][s] or None."""
    label_width, bar_area, bar_h, gap = 170, 330, 14, 12
    group_h = bar_h * len(series_labels) + gap
    height = 40 + group_h * len(categories) + 10
    body = _legend(chart_id, series_labels, 8)
    for i, category in enumerate(categories):
        top = 36 + i * group_h
        body.append(
            format_html('<text x="{}" y="{}" fill="{}">{}</text>', 6, top + bar_h, INK, _short(category))
        )
        for s in range(len(series_labels)):
            value = values[i][s]
            width = None if value is None else round(bar_area * value / maximum) if maximum else 0
            label = "" if value is None else formatter(value)
            body.append(_bar(chart_id, s, label_width, top + s * bar_h, width, bar_h - 2, label))
    return _svg(chart_id, title, description, height, body)


def _short(text: str, length: int = 26) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def unit_name(group) -> str:
    return group["unit"]["name"] or _("Hele organisasjonen")


def share_by_unit(result: dict, chart_id: str, title: str, description: str, series: dict) -> Chart:
    """Per unit below the one shown (or the total alone), a bar per series (label -> figure of the
    current cycle, a share), with its data table."""
    groups = [g for g in result["groups"] if not g["is_total"]] or result["groups"]
    values = [[g["current"][key] for key in series.values()] for g in groups]
    names = [unit_name(g) for g in groups]
    labels = list(series)
    svg = horizontal_bars(chart_id, title, description, names, labels, values, percent, 1.0)
    rows = [
        [name, *[_("skjult") if v is None else percent(v) for v in row]]
        for name, row in zip(names, values, strict=True)
    ]
    return Chart(chart_id, title, description, svg, [_("Enhet"), *labels], rows)


def completion_by_unit(result: dict) -> Chart:
    series = {
        _("Samtale holdt"): "held_share_of_employees",
        _("Avtale bekreftet"): "confirmed_share_of_employees",
    }
    title = _("Gjennomføring per enhet")
    description = _(
        "Andel av medarbeiderne i hver enhet med samtale holdt og med bekreftet avtale i %(cycle)s. "
        "Skjulte tall gjelder grupper under %(k)s personer."
    ) % {"cycle": result["cycle"]["name"], "k": result["min_group_size"]}
    return share_by_unit(result, "completion", title, description, series)


def goal_kinds(result: dict) -> Chart:
    from goals.models import Goal

    total = result["groups"][0]["current"]["goals_per_contract"]
    kinds = [(kind.value, kind.label) for kind in Goal.Kind]
    values = [[total[value]] for value, _label in kinds]
    labels = [str(label) for _value, label in kinds]
    maximum = max([v[0] for v in values if v[0] is not None] + [1])
    title = _("Mål per avtale etter type")
    description = _("Gjennomsnittlig antall mål per bekreftet avtale, etter type, for %(unit)s.") % {
        "unit": unit_name(result["groups"][0])
    }
    body = []
    for i, label in enumerate(labels):
        top = 12 + i * 30
        body.append(format_html('<text x="6" y="{}" fill="{}">{}</text>', top + 14, INK, label))
        value = values[i][0]
        width = None if value is None else round(330 * value / maximum)
        body.append(_bar("kinds", i, 170, top, width, 18, "" if value is None else decimal(value, 2)))
    svg = _svg("kinds", title, description, 12 + 30 * len(labels) + 10, body)
    rows = [
        [label, _("skjult") if v[0] is None else decimal(v[0], 2)]
        for label, v in zip(labels, values, strict=True)
    ]
    return Chart("kinds", title, description, svg, [_("Type mål"), _("Mål per avtale")], rows)


def follow_up_activity(result: dict) -> Chart:
    months = result["groups"][0]["current"]["follow_up_activity"]
    values = [m["entries"]["value"] for m in months]
    maximum = max([v for v in values if v is not None] + [1])
    title = _("Oppfølging over tid")
    description = _(
        "Antall oppfølgingsnotater per måned de siste %(n)s månedene for %(unit)s. "
        "Skjulte måneder har færre enn %(k)s notater."
    ) % {"n": len(months), "unit": unit_name(result["groups"][0]), "k": result["min_group_size"]}
    plot_h, base, step = 160, 190, (WIDTH - 20) // max(len(months), 1)
    body = [format_html('<line x1="10" y1="{}" x2="{}" y2="{}" stroke="{}"/>', base, WIDTH - 10, base, INK)]
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        x = 14 + i * step
        if value is None:
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="12" fill="none" stroke="{}" '
                    'stroke-dasharray="3 2"/><text x="{}" y="{}" fill="{}" font-size="10">–</text>',
                    x,
                    base - 12,
                    step - 10,
                    MUTED,
                    x + 2,
                    base - 16,
                    MUTED,
                )
            )
        else:
            h = max(round(plot_h * value / maximum), 1)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#activity-solid)" stroke="{}"/>'
                    '<text x="{}" y="{}" fill="{}" font-size="10">{}</text>',
                    x,
                    base - h,
                    step - 10,
                    h,
                    INK,
                    x + 2,
                    base - h - 4,
                    INK,
                    number_format(value),
                )
            )
        body.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" font-size="10">{}</text>', x, base + 14, INK, month["month"]
            )
        )
    svg = _svg("activity", title, description, base + 24, body)
    rows = [
        [m["month"], _("skjult") if v is None else number_format(v)]
        for m, v in zip(months, values, strict=True)
    ]
    return Chart("activity", title, description, svg, [_("Måned"), _("Oppfølgingsnotater")], rows)


def all_charts(result: dict) -> list[Chart]:
    return [completion_by_unit(result), follow_up_activity(result), goal_kinds(result)]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list
    rows: list

    @property
    def labelled_rows(self) -> list:
        return _labelled(self.headers, self.rows)


def _labelled(headers: list, rows: list) -> list:
    """Each row as (header, cell) pairs: narrow screens show a table row as a list of labelled cells."""
    return [list(zip(headers, row, strict=True)) for row in rows]


def show_count(count: dict) -> str:
    return _("skjult") if count["suppressed"] else number_format(count["value"])


def show_rate(value) -> str:
    return "–" if value is None else percent(value)


def _show_number(value, places=1) -> str:
    return "–" if value is None else decimal(value, places)


COUNT_LABELS = (
    ("employees_in_scope", "Medarbeidere"),
    ("conversations_held", "Samtaler holdt"),
    ("submitted", "Sendt til bekreftelse"),
    ("confirmed", "Bekreftet"),
    ("followed_up_last_90_days", "Fulgt opp siste 90 dager"),
)


def summary_tables(result: dict) -> list[Table]:
    """The figures as tables of display strings: one per cycle, then goal statuses."""
    tables = []
    cycles = [("current", result["cycle"]), ("previous", result["previous_cycle"])]
    for which, cycle in cycles:
        if cycle is None:
            continue
        headers = [
            _("Enhet"),
            *[_(label) for _key, label in COUNT_LABELS],
            _("Andel bekreftet"),
            _("Andel fulgt opp"),
            _("Median dager til bekreftelse"),
        ]
        rows = []
        for group in result["groups"]:
            f = group[which]
            rows.append(
                [
                    unit_name(group),
                    *[show_count(f[key]) for key, _label in COUNT_LABELS],
                    show_rate(f["confirmed_share_of_employees"]),
                    show_rate(f["follow_up_share"]),
                    _show_number(f["median_days_to_confirmation"]),
                ]
            )
        tables.append(Table(cycle["name"], headers, rows))
    status_labels = {s.value: str(s.label) for s in _item_statuses()}
    headers = [_("Enhet"), _("Mål med status"), *status_labels.values()]
    rows = [
        [
            unit_name(g),
            show_count(g["current"]["goal_status"]["goals_with_status"]),
            *[show_count(g["current"]["goal_status"][s]) for s in status_labels],
        ]
        for g in result["groups"]
    ]
    tables.append(Table(_("Status på mål (siste oppfølging)"), headers, rows))
    return tables


def _item_statuses():
    from conversations.models import FollowUp

    return list(FollowUp.ItemStatus)


def suppressed_total_notes(result: dict) -> list[str]:
    """Sentences that explain, in words, figures hidden because of the people counted only in the
    total: those without a unit (the whole organisation) or directly in the unit and in none below it.
    The total minus the units below would give their figures away, so one of them is hidden. Said only
    from what the page shows already (the head counts HR knows, and which figures are hidden)."""
    total, children = result["groups"][0], result["groups"][1:]
    if not children:
        return []
    notes = []
    for which, cycle in (("current", result["cycle"]), ("previous", result["previous_cycle"])):
        if cycle is None:
            continue
        hidden = [
            str(_(label))
            for key, label in COUNT_LABELS
            if key != "employees_in_scope" and any(g[which][key]["suppressed"] for g in (total, *children))
        ]
        rest = _rest_heads(total, children, which)
        if rest and hidden:
            notes.append(_rest_note(result, cycle["name"], hidden, rest))
    return notes


def _rest_heads(total: dict, children: list, which: str) -> int | None:
    """The people counted in the total and in no unit below, when every head count is shown."""
    heads = [g[which]["employees_in_scope"]["value"] for g in (total, *children)]
    if any(h is None for h in heads):
        return None
    return heads[0] - sum(heads[1:])


def _rest_note(result: dict, cycle_name: str, columns: list[str], rest: int) -> str:
    values = {
        "cycle": cycle_name,
        "columns": ", ".join(f"«{c}»" for c in columns),
        "n": rest,
        "unit": result["unit"]["name"],
    }
    if result["unit"]["id"] is None:
        text = _(
            "%(cycle)s: %(n)s av medarbeiderne hører ikke til noen enhet. De telles i totalen for hele "
            "organisasjonen, men ikke i enhetene, så totalen minus enhetene ville vise tallene for dem. "
            "Derfor kan totalen eller en enhet være skjult for %(columns)s."
        )
    else:
        text = _(
            "%(cycle)s: %(n)s av medarbeiderne hører direkte til %(unit)s og ikke til en underenhet. "
            "De telles i totalen, men ikke i underenhetene, så totalen minus underenhetene ville vise "
            "tallene for dem. Derfor kan totalen eller en underenhet være skjult for %(columns)s."
        )
    return text % values
