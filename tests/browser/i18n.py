"""The interface text a browser test clicks and reads, taken from the catalogues in the visitor's
language: `t("nn", "Add task")` is what a nynorsk page shows for that msgid. Tests never spell out a
translation themselves, so a missing or changed translation fails where the page shows it."""

from django.utils import translation

LANGUAGES = ("nb", "nn", "en")


def t(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def tn(language: str, singular: str, plural: str, number: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, number)
