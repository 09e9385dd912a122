"""The line of sight on the statistics page and in its PDF: a chart of the share of the confirmed with a
goal supporting a unit goal per unit, a chart of the people supporting each unit goal, and their
tables. The other figures' charts and tables are `reports.charts`', unchanged."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports import charts
from reports.charts import Chart, Table, horizontal_bars, share_by_unit, show_count, show_rate, unit_name


def supported_share_by_unit(result: dict) -> Chart:
    series = {_("Avtaler med mål som støtter enhetsmål"): "supported_goal_share"}
    title = _("Retning per enhet")
    description = _(
        "Andel av de bekreftede avtalene i hver enhet med minst ett mål som støtter et enhetsmål, i "
        "%(cycle)s. Skjulte tall gjelder grupper under %(k)s personer."
    ) % {"cycle": result["cycle"]["name"], "k": result["min_group_size"]}
    return share_by_unit(result, "alignment", title, description, series)


def _goals(result: dict) -> list:
    """Each unit goal listed once, as the widest group that counts it shows it: the total when it is in
    the total's line of sight, else the group of its own unit."""
    seen, goals = set(), []
    for group in result["groups"]:
        for goal in group["current"]["unit_goals"]:
            if goal["id"] not in seen:
                seen.add(goal["id"])
                goals.append(goal)
    return goals


def _goal_name(goal: dict) -> str:
    return f"{goal['title']} ({goal['unit']['name']})"


def contracts_per_unit_goal(result: dict) -> Chart | None:
    """The confirmed contracts supporting each unit goal in the line of sight of the unit shown (for the
    whole organisation: the goals of its top units, each over its own unit). None without goals."""
    goals = _goals(result)
    if not goals:
        return None
    values = [[goal["confirmed_supporting"]["value"]] for goal in goals]
    names = [goal["title"] for goal in goals]
    maximum = max([v[0] for v in values if v[0] is not None] + [1])
    title = _("Bekreftede avtaler per enhetsmål")
    description = _(
        "Antall bekreftede avtaler med minst ett mål som støtter enhetsmålet, direkte eller gjennom et "
        "enhetsmål under det, i %(cycle)s. Skjulte tall gjelder grupper under %(k)s personer."
    ) % {"cycle": result["cycle"]["name"], "k": result["min_group_size"]}
    series = [_("Bekreftede avtaler")]
    svg = horizontal_bars("unit-goals", title, description, names, series, values, number_format, maximum)
    rows = [[_goal_name(goal), show_count(goal["confirmed_supporting"])] for goal in goals]
    return Chart("unit-goals", title, description, svg, [_("Enhetsmål"), *series], rows)


def alignment_table(result: dict) -> Table:
    """Per unit: confirmed, confirmed with a supported goal and their share, in the current cycle."""
    headers = [
        _("Enhet"),
        _("Bekreftet"),
        _("Bekreftet med mål som støtter enhetsmål"),
        _("Andel med mål som støtter enhetsmål"),
    ]
    rows = [
        [
            unit_name(g),
            show_count(g["current"]["confirmed"]),
            show_count(g["current"]["confirmed_with_supported_goal"]),
            show_rate(g["current"]["supported_goal_share"]),
        ]
        for g in result["groups"]
    ]
    return Table(_("Retning per enhet"), headers, rows)


def unit_goal_table(result: dict) -> Table | None:
    """Per unit goal (rows) and unit (columns): the confirmed contracts supporting it; "–" where the
    goal is not in the unit's line of sight."""
    goals = _goals(result)
    if not goals:
        return None
    groups = result["groups"]
    headers = [_("Enhetsmål"), *[unit_name(g) for g in groups]]
    rows = []
    for goal in goals:
        cells = []
        for group in groups:
            found = next((g for g in group["current"]["unit_goals"] if g["id"] == goal["id"]), None)
            cells.append("–" if found is None else show_count(found["confirmed_supporting"]))
        rows.append([_goal_name(goal), *cells])
    return Table(_("Bekreftede avtaler per enhetsmål"), headers, rows)


def _has_line_of_sight(result: dict) -> bool:
    """Whether the line of sight has anything to show: a unit goal some group sees, or a count of
    confirmed with a supported goal."""
    return any(
        g["current"]["unit_goals"] or not g["current"]["confirmed_with_supported_goal"]["suppressed"]
        for g in result["groups"]
    )


def all_charts(result: dict) -> list[Chart]:
    """Every chart of the statistics page and PDF: `reports.charts`' and, where there is one, the line
    of sight's."""
    if not _has_line_of_sight(result):
        return charts.all_charts(result)
    per_goal = contracts_per_unit_goal(result)
    return [*charts.all_charts(result), supported_share_by_unit(result), *([per_goal] if per_goal else [])]


def summary_tables(result: dict) -> list[Table]:
    """Every table of the statistics page and PDF: `reports.charts`' and, where there is one, the line
    of sight's."""
    if not _has_line_of_sight(result):
        return charts.summary_tables(result)
    per_goal = unit_goal_table(result)
    return [*charts.summary_tables(result), alignment_table(result), *([per_goal] if per_goal else [])]
