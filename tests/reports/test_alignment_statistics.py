"""The line of sight in HR's statistics on hand-built organisations, with the expected figures worked
out by hand (k = 5): people whose confirmed contract has a goal supporting a unit goal, their share of
the confirmed, and per unit goal the people supporting it (directly or through a unit goal below it).

Every figure is a zone table over the population just above it (`reports.alignment`): confirmed with
a supported goal splits the confirmed; a unit goal splits the people with a supported goal (or, when it
supports a unit goal above, that goal's supporters), over its unit's subtree."""

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from goals.models import Goal, UnitGoal
from reports import statistics
from tests import factories
from tests.reports.statistics_helpers import conversation, figures, people, unit

pytestmark = pytest.mark.django_db

SUPPRESSED = {"value": None, "suppressed": True}


def shown(n):
    return {"value": n, "suppressed": False}


def goal(unit_, cycle, title, supports=None):
    return factories.UnitGoalFactory(unit=unit_, cycle=cycle, title=title, supports=supports)


def staff(cycle, boss, where, supports, drafts=6):
    """In `where`: a confirmed contract for each entry of `supports` whose first goal supports that
    unit goal (None: no link; every contract has a second goal without one), and `drafts` people
    whose conversation is a draft."""
    _, confirmed = people(len(supports), where, manager=boss)
    for person, supported in zip(confirmed, supports, strict=True):
        conv = conversation(cycle, boss, person, "confirmed", goals=("result", "development"))
        if supported is not None:
            Goal.objects.filter(conversation=conv, order=0).update(supports=supported)
    _, waiting = people(drafts, where, manager=boss)
    for person in waiting:
        conversation(cycle, boss, person, "draft")


def by_title(result_figures):
    return {g["title"]: g["confirmed_supporting"] for g in result_figures["unit_goals"]}


def build(cycle):
    """Ledelse: 6 leaders without conversations and 12 confirmed contracts, 5 of them supporting its
    goal L1 "Godt lederskap". Kommune (no direct members) with A, B and C, each with 12 confirmed
    contracts and 6 drafts. Unit goals: Kommune K1 "Gode tjenester"; A's A1 "Digitale skjema" supports
    K1; B's B1 "Kortere ventetid" supports nothing. A: 6 contracts support A1 (and so K1), 2 support
    K1 directly, 4 none; B: 5 support K1, 5 B1, 2 none; C: 6 support K1, 6 none."""
    boss = factories.LeaderFactory(unit=unit("Ledelse"))
    for _ in range(5):
        factories.LeaderFactory(unit=boss.unit)
    l1 = goal(boss.unit, cycle, "Godt lederskap")
    staff(cycle, boss, boss.unit, [l1] * 5 + [None] * 7, drafts=0)
    kommune = unit("Kommune")
    a, b, c = unit("A", kommune), unit("B", kommune), unit("C", kommune)
    k1 = goal(kommune, cycle, "Gode tjenester")
    a1 = goal(a, cycle, "Digitale skjema", supports=k1)
    b1 = goal(b, cycle, "Kortere ventetid")
    staff(cycle, boss, a, [a1] * 6 + [k1] * 2 + [None] * 4)
    staff(cycle, boss, b, [k1] * 5 + [b1] * 5 + [None] * 2)
    staff(cycle, boss, c, [k1] * 6 + [None] * 6)
    return kommune


def test_the_line_of_sight_worked_by_hand(cycle):
    """Confirmed is shown everywhere (each unit has at least 5 not confirmed beside at least 5
    confirmed): Ledelse 12, A, B, C 12, Kommune 36, the whole organisation 48.

    With a supported goal, a table over the confirmed (categories: not aligned, aligned; the parts rule
    counts confirmed people): Ledelse 7 and 5, A 4 and 8, B 2 and 10, C 6 and 6. A and B fail (4, 2 <
    5). The whole organisation passes (19, 29; parts Ledelse 12 and Kommune 36 of 48); Ledelse or
    Kommune alone would leave the other as its whole zone, together they leave it empty: both shown;
    C leaves Kommune 6 and 18 over A and B (12 each of 24): shown. So 29 (share 29/48 = 0.604),
    Ledelse 5 (0.417), Kommune 24 (0.667), C 6 (0.5); A and B hidden, and their shares.

    K1, a table over Kommune's subtree splitting the aligned people: A 0 and 8, B 5 and 5, C 0 and 6;
    only Kommune and C may show it (they show the aligned). Kommune: 5 and 19, parts 8, 10 and 6 of
    24: shown, 19. C: 0 not supporting K1: hidden. A1 splits K1's supporters, but no unit of A's
    subtree shows K1: hidden. B1: no unit of B's subtree shows the aligned: hidden. L1: all 5 of
    Ledelse's aligned support it, nobody is left beside them: hidden.
    """
    kommune = build(cycle)

    whole = statistics.cycle_statistics(cycle=cycle)
    inside = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    everyone, ledelse = whole["groups"][0]["current"], figures(whole, "Ledelse")
    assert everyone["confirmed"] == shown(48)
    assert everyone["confirmed_with_supported_goal"] == shown(29)
    assert everyone["supported_goal_share"] == 0.604
    assert everyone["unit_goals"] == []  # the whole organisation has no goals of its own
    assert ledelse["confirmed_with_supported_goal"] == shown(5)
    assert ledelse["supported_goal_share"] == 0.417
    assert by_title(ledelse) == {"Godt lederskap": SUPPRESSED}
    total, a, b, c = (figures(inside, name) for name in ("Kommune", "A", "B", "C"))
    assert [total["confirmed"], a["confirmed"], b["confirmed"], c["confirmed"]] == [shown(36)] + [
        shown(12)
    ] * 3
    assert total["confirmed_with_supported_goal"] == shown(24)
    assert total["supported_goal_share"] == 0.667
    assert by_title(total) == {"Gode tjenester": shown(19)}
    assert a["confirmed_with_supported_goal"] == SUPPRESSED
    assert a["supported_goal_share"] is None
    assert by_title(a) == {"Gode tjenester": SUPPRESSED, "Digitale skjema": SUPPRESSED}
    assert [g["unit"]["name"] for g in a["unit_goals"]] == ["Kommune", "A"]
    assert b["confirmed_with_supported_goal"] == SUPPRESSED
    assert by_title(b) == {"Gode tjenester": SUPPRESSED, "Kortere ventetid": SUPPRESSED}
    assert c["confirmed_with_supported_goal"] == shown(6)
    assert c["supported_goal_share"] == 0.5
    assert by_title(c) == {"Gode tjenester": SUPPRESSED}


@pytest.mark.urls("tests.reports.test_statistics_api")
def test_the_figures_in_json_csv_page_and_pdf_with_the_goal_title_escaped(cycle, client):
    """The figures of the organisation above (HR, one more person in Ledelse without a conversation,
    changes none of them: Ledelse still has 7 not confirmed beside 12 confirmed) wherever they are
    published; a unit goal's title is organisation text, escaped in the page's HTML and SVG."""
    kommune = build(cycle)
    UnitGoal.objects.filter(title="Gode tjenester").update(title="<b>Gode</b> tjenester")
    hr = factories.HRFactory(unit=UnitGoal.objects.get(title="Godt lederskap").unit)
    params = {"cycle": cycle.pk, "unit": kommune.pk}
    api = APIClient()
    api.force_authenticate(hr)

    body = api.get("/api/v1/statistics/", params).json()
    total = next(g for g in body["groups"] if g["unit"]["name"] == "Kommune")["current"]
    c = next(g for g in body["groups"] if g["unit"]["name"] == "C")["current"]
    assert total["confirmed_with_supported_goal"] == shown(24)
    assert total["supported_goal_share"] == 0.667
    assert [(g["title"], g["unit"]["name"], g["confirmed_supporting"]) for g in total["unit_goals"]] == [
        ("<b>Gode</b> tjenester", "Kommune", shown(19))
    ]
    assert c["confirmed_with_supported_goal"] == shown(6)
    csv_text = api.get("/api/v1/statistics.csv", params).content.decode()
    k1 = UnitGoal.objects.get(unit=kommune).pk
    assert f"Kommune,Kommune,{cycle.name},unit_goals.{k1}.confirmed_supporting,19,False,5" in csv_text
    assert f"C,Kommune/C,{cycle.name},unit_goals.{k1}.confirmed_supporting,,True,5" in csv_text
    assert f"Kommune,Kommune,{cycle.name},confirmed_with_supported_goal,24,False,5" in csv_text
    assert f"Kommune,Kommune,{cycle.name},supported_goal_share,0.667,False,5" in csv_text
    assert f"A,Kommune/A,{cycle.name},supported_goal_share,,True,5" in csv_text

    client.force_login(hr)
    html = client.get("/hr/statistics/", params).content.decode()
    assert html.count('role="img"') == 5
    assert "Bekreftede avtaler per enhetsmål" in html and "Retning per enhet" in html
    assert "<b>Gode</b>" not in html and "&lt;b&gt;Gode&lt;/b&gt; tjenester" in html

    pdf = api.get("/api/v1/statistics.pdf", params)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        "Retning per enhet",
        "Bekreftede avtaler per enhetsmål",
        "<b>Gode</b> tjenester",
        "67 %",
    ):
        assert expected in text


def test_a_chain_of_unit_goals_worked_by_hand(cycle):
    """Ledelse: 6 leaders and 12 confirmed contracts without links (no goals in its line of sight).
    Kommune (no direct members) has two goals, K1 "Gode tjenester" and K2 "Trygg drift"; A's goal A1
    "Digitale skjema" supports K1. A: 25 confirmed (6 support A1, so K1 too; 5 K1 directly; 5 K2; 9
    none) and 6 drafts; B: 20 confirmed (7 K1, 6 K2, 7 none) and 6 drafts.

    Confirmed is shown everywhere (Ledelse 12, A 25, B 20, Kommune 45, all 57): every unit has 6 not
    confirmed. Aligned over the confirmed: Ledelse 12 and 0, A 9 and 16, B 7 and 13. The whole
    organisation passes (28 and 29; parts 12 and 45 of 57). Kommune (16 and 29) would leave the whole
    organisation Ledelse's 12 and 0: hidden. A leaves Ledelse and B (19 and 13, parts 12 and 20 of
    32): shown. B would leave Ledelse alone: hidden. So 29 (share 29/57 = 0.509) and A 16 (0.64).

    K1 over the aligned of Kommune's subtree, only A may show it: A 5 and 11 (not, supporting), B 6 and
    7: A's zone passes, Kommune stays hidden with B's part: A shows 11. A1 over K1's supporters in A: 5
    and 6: shown, 6. K2 over the aligned: A 11 and 5: shown, 5. Kommune and B show none of them."""
    boss = factories.LeaderFactory(unit=unit("Ledelse"))
    for _ in range(5):
        factories.LeaderFactory(unit=boss.unit)
    staff(cycle, boss, boss.unit, [None] * 12, drafts=0)
    kommune = unit("Kommune")
    a, b = unit("A", kommune), unit("B", kommune)
    k1, k2 = goal(kommune, cycle, "Gode tjenester"), goal(kommune, cycle, "Trygg drift")
    a1 = goal(a, cycle, "Digitale skjema", supports=k1)
    staff(cycle, boss, a, [a1] * 6 + [k1] * 5 + [k2] * 5 + [None] * 9)
    staff(cycle, boss, b, [k1] * 7 + [k2] * 6 + [None] * 7)

    whole = statistics.cycle_statistics(cycle=cycle)
    inside = statistics.cycle_statistics(cycle=cycle, unit=kommune)

    everyone = whole["groups"][0]["current"]
    assert everyone["confirmed"] == shown(57)
    assert everyone["confirmed_with_supported_goal"] == shown(29)
    assert everyone["supported_goal_share"] == 0.509
    total, in_a, in_b = (figures(inside, name) for name in ("Kommune", "A", "B"))
    assert total["confirmed"] == shown(45)
    assert total["confirmed_with_supported_goal"] == SUPPRESSED
    assert by_title(total) == {"Gode tjenester": SUPPRESSED, "Trygg drift": SUPPRESSED}
    assert in_a["confirmed_with_supported_goal"] == shown(16)
    assert in_a["supported_goal_share"] == 0.64
    assert by_title(in_a) == {
        "Gode tjenester": shown(11),
        "Trygg drift": shown(5),
        "Digitale skjema": shown(6),
    }
    assert in_b["confirmed_with_supported_goal"] == SUPPRESSED
    assert by_title(in_b) == {"Gode tjenester": SUPPRESSED, "Trygg drift": SUPPRESSED}
