"""Every string translated: complete, compiled catalogues, and pages in one language only.

The catalogue checks and the rendered-page check run with Django's test client; the last test looks
at the pages as the browser shows them (visible text and accessible names)."""

import html
import os
import re
import shutil
import subprocess
import sys
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


LANGUAGES = ("nb", "nn", "en")
# Where the interface's messages are: the apps and the templates (not the tests, scripts or benches).
APP_FOLDERS = (
    "config", "core", "background", "organization", "conversations", "goals", "reports", "identity", "demo",
    "templates",
)  # fmt: skip
# Bokmål spellings that nynorsk never uses: none may show in the nynorsk catalogue or on its pages.
BOKMAL_NOT_NYNORSK = [
    "ikke", "hva", "hvem", "hvordan", "hvorfor", "hvis", "bare", "noe", "jeg", "ennå", "fra", "ble",
    "leder", "lederen", "medarbeider", "medarbeideren", "medarbeidere", "enhet", "enheten", "Bekreft",
    "bekreftet", "bekreftelse", "oppgave", "oppgaver", "forventninger", "venter", "Venter", "hver",
    "også", "gjelder", "finnes", "nå", "være", "gjøre", "samtaler", "navn", "tjenesten", "innhold", "uten",
    "Velg", "lenke", "tall", "dager", "personer", "bruker", "Brukernavn",
]  # fmt: skip
# Words bokmål and English share: an English catalogue entry may leave them empty (the msgid stands).
SHARED_WORDS = {"English", "Status", "status", "SHA-256", "Person", "HR", "person", "API", "PDF", "ZIP"}


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_norwegian_catalogues_are_complete(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"no {language} for: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) {language} for: {fuzzy}"
    assert len(po.translated_entries()) > 100


def test_the_three_catalogues_hold_the_same_messages():
    msgids = {language: {e.msgid for e in catalogue(language) if not e.obsolete} for language in LANGUAGES}
    for language in ("nn", "en"):
        assert msgids[language] == msgids["nb"], (
            f"{language} lacks {sorted(msgids['nb'] - msgids[language])[:10]}, "
            f"has beyond nb {sorted(msgids[language] - msgids['nb'])[:10]}"
        )


def test_english_leaves_only_english_msgids_untranslated():
    """An English entry may be empty only where the msgid is English already: bokmål translates it
    into something else (a bokmål msgid has itself as its bokmål)."""
    bokmal = {e.msgid: e for e in catalogue("nb")}
    untranslated_bokmal = [
        e.msgid
        for e in catalogue("en").untranslated_entries()
        if not e.msgid_plural and bokmal[e.msgid].msgstr == e.msgid and e.msgid not in SHARED_WORDS
    ]
    assert not untranslated_bokmal, f"no English for the bokmål msgids {untranslated_bokmal}"


def test_nynorsk_is_nynorsk():
    leaks = []
    for entry in catalogue("nn").translated_entries():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        leaks += [(word, text) for text in texts for word in _words_found(text, BOKMAL_NOT_NYNORSK)]
    assert not leaks, f"bokmål in the nynorsk catalogue: {leaks[:10]}"


def _messages_in_the_code(tmp_path: Path) -> set[str]:
    """What `makemessages` finds in the project's code and templates, run on a copy of the sources (so
    the catalogues themselves are left alone)."""
    root = Path(settings.BASE_DIR)
    for name in ("manage.py", *APP_FOLDERS):
        copy = shutil.copytree if (root / name).is_dir() else shutil.copyfile
        copy(root / name, tmp_path / name)
    (tmp_path / "locale" / "nb").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nb", "--no-location", "--verbosity", "0"],
        cwd=tmp_path, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )  # fmt: skip
    found = polib.pofile(str(tmp_path / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    return {e.msgid for e in found if not e.obsolete}


def test_every_message_in_the_code_is_in_every_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        reason = "makemessages needs GNU gettext (xgettext; apt-get install gettext)"
        pytest.fail(reason) if os.environ.get("CI") == "true" else pytest.skip(reason)
    in_code = _messages_in_the_code(tmp_path)
    assert len(in_code) > 500
    for language in LANGUAGES:
        msgids = {e.msgid for e in catalogue(language) if not e.obsolete}
        missing = sorted(in_code - msgids)
        assert not missing, f"run makemessages and translate; the {language} catalogue lacks {missing[:10]}"


def test_bokmal_msgids_have_english_translations():
    english = {e.msgid: e.msgstr for e in catalogue("en")}
    for _value, label in BOKMAL_CHOICES:
        with translation.override(None):
            msgid = str(label)
        assert english.get(msgid), f"no English for the bokmål msgid {msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
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
    with translation.override("nn"):
        assert translation.gettext("Send for confirmation") == "Send til stadfesting"
        assert str(Status.CONFIRMED.label) == "Stadfesta"
        assert translation.gettext("Samtalerunde") == "Samtalerunde"
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
    languages = (("nb", ENGLISH_WORDS), ("nn", [*ENGLISH_WORDS, *BOKMAL_NOT_NYNORSK]), ("en", BOKMAL_WORDS))
    for language, foreign in languages:
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
