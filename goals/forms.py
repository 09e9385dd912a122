"""Forms for the unit goal pages. They check shape only; `goals.unit_goals` enforces the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import Cycle
from conversations.web.forms import PageForm, RevisionForm
from core import free_text
from goals.models import UnitGoal


class UnitGoalForm(PageForm):
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        **free_text.field_kwargs(),
    )
    supports = forms.ModelChoiceField(
        label=_("Supports"),
        queryset=UnitGoal.objects.none(),
        required=False,
        help_text=_("A goal of a unit above that this goal helps reach."),
    )

    def __init__(self, *args, above=(), **kwargs):
        """`above`: the goals of the units above in the same cycle, which this goal may support."""
        super().__init__(*args, **kwargs)
        above = list(above)
        if not above:
            del self.fields["supports"]
            return
        field = self.fields["supports"]
        field.queryset = UnitGoal.objects.filter(pk__in=[g.pk for g in above])
        field.choices = [("", _("None")), *((g.pk, f"{g.unit.name}: {g.title}") for g in above)]


class UnitGoalEditForm(UnitGoalForm, RevisionForm):
    pass


class UnitGoalCopyForm(PageForm):
    target = forms.ModelChoiceField(
        label=_("Copy to cycle"), queryset=Cycle.objects.order_by("-starts_on", "-pk")
    )
