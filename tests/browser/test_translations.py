"""Every string translated: complete, compiled catalogues, and pages in one language only.

The catalogue checks and the rendered-page check run with Django's test client; the last test looks
at the pages as the browser shows them (visible text and accessible names)."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conversations.models import Comment, FollowUp, ItemResponse, Status
from goals.models import Expectation, Goal
from tests.browser.scenario import build_scenario

LOCALE = Path(settings.BASE_DIR) / "locale"
BOKMAL_CHOICES = [
    *Status.choices,
    *Goal.Kind.choices,
    *Expectation.Direction.choices,
    *ItemResponse.Stance.choices,
    *FollowUp.ItemStatus.choices,
    *FollowUp.Kind.choices,
    *FollowUp.Answer.choices,
    *Comment.Kind.choices,
]
ENGLISH_WORDS = [
    "Submit", "Confirm", "Draft", "Goals", "Tasks", "Expectations", "Log out", "Comment", "Follow-up",
    "Version", "Save", "Delete", "Cancel", "History", "My conversations", "My employees", "Waiting",
]  # fmt: skip
BOKMAL_WORDS = [
    "Utkast", "Bekreft", "Bekreftet", "Mål", "Oppgaver", "Forventninger", "Logg ut", "Kommentar",
    "Oppfølging", "Versjon", "Lagre", "Slett", "Avlys", "Historikk", "Mine samtaler", "Venter",
    "Mine medarbeidere", "Samtalerunde", "Medarbeider",
]  # fmt: skip


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_bokmal_catalogue_is_complete():
    po = catalogue("nb")
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"no bokmål for: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) bokmål for: {fuzzy}"
    assert len(po.translated_entries()) > 100


def test_bokmal_msgids_have_english_translations():
    english = {e.msgid: e.msgstr for e in catalogue("en")}
    for _value, label in BOKMAL_CHOICES:
        with translation.override(None):
            msgid = str(label)
        assert english.get(msgid), f"no English for the bokmål msgid {msgid!r}"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_compiled_catalogues_match_the_sources(language):
    """The .mo files are compiled from the current .po files (compilemessages was run)."""
    po = {e.msgid: e.msgstr for e in catalogue(language).translated_entries() if not e.msgid_plural}
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))}
    stale = {msgid for msgid, msgstr in po.items() if mo.get(msgid) != msgstr}
    assert not stale, f"recompile the {language} catalogue; stale or missing: {sorted(stale)[:10]}"


def test_translations_are_active():
    with translation.override("nb"):
        assert translation.gettext("Send for confirmation") == "Send til bekreftelse"
        assert str(Status.DRAFT.label) == "Utkast"
    with translation.override("en"):
        assert str(Status.DRAFT.label) == "Draft"
        assert str(Goal.Kind.RELATIONAL.label) == "Relational goal"


def _visible_text(page_html: str) -> str:
    page_html = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page_html)
    text = re.sub(r"<[^>]+>", " ", page_html)
    return html.unescape(" ".join([text, *attributes]))


def _english_msgids_with_bokmal_translation() -> list[str]:
    """Phrases (two words or more, no placeholders) whose bokmål differs: they must never show in nb."""
    return [
        e.msgid
        for e in catalogue("nb").translated_entries()
        if " " in e.msgid and "%" not in e.msgid and e.msgstr != e.msgid and not e.msgid_plural
    ]


@pytest.mark.django_db
def test_bokmal_pages_contain_no_untranslated_message_ids():
    scenario = build_scenario()
    phrases = _english_msgids_with_bokmal_translation()
    for name, user, path in [("login", None, "/accounts/login/"), *scenario.pages()]:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
        text = _visible_text(client.get(path).content.decode())
        leaked = [phrase for phrase in phrases if phrase in text]
        assert not leaked, f"untranslated on the bokmål page {name}: {leaked}"


def _words_found(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.mark.browser
def test_pages_speak_one_language_in_the_browser(visitor, transactional_db):
    scenario = build_scenario()
    for language, foreign in (("nb", ENGLISH_WORDS), ("en", BOKMAL_WORDS)):
        visitor(language).go("/accounts/login/")
        sessions = {}
        for name, user, path in scenario.pages():
            if user.pk not in sessions:
                sessions[user.pk] = visitor(language).log_in_as(user)
            page = sessions[user.pk].page
            page.goto(sessions[user.pk].base_url + path)
            names = page.evaluate(
                "() => [...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]"
                ".map(e => [e.getAttribute('aria-label'), e.title, e.placeholder, e.alt].join(' '))"
            )
            text = page.inner_text("body") + " " + " ".join(names) + " " + page.title()
            found = _words_found(text, foreign)
            assert not found, f"{language} page {name} shows foreign words: {found}"
            assert page.locator("html").get_attribute("lang") == language
