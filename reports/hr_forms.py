"""Forms of HR's template pages: a template's name, and one agenda point with its hint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import TemplatePoint


class TemplateNameForm(forms.Form):
    name = forms.CharField(label=_("Navn på malen"), max_length=200)


class TemplatePointForm(forms.Form):
    text = forms.CharField(label=_("Tema"), max_length=TemplatePoint._meta.get_field("text").max_length)
    hint = forms.CharField(
        label=_("Hjelpetekst"),
        required=False,
        max_length=TemplatePoint._meta.get_field("hint").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vises under temaet i samtalen, som støtte til forberedelsen."),
    )
