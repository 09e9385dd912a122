"""Forms of the HR pages: choosing what the statistics show, and creating or changing a cycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import Cycle
from organization.models import OrgUnit


class StatisticsFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        queryset=Cycle.objects.order_by("-starts_on", "-pk"), label=_("Samtalerunde")
    )
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        label=_("Enhet"),
        empty_label=_("Hele organisasjonen"),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "starts_on", "deadline", "check_in_days", "template"]
        labels = {
            "name": _("Navn"),
            "starts_on": _("Starter"),
            "deadline": _("Frist"),
            "check_in_days": _("Oppfølging minst hver (dager)"),
            "template": _("Mal"),
        }
        widgets = {"starts_on": DateInput(), "deadline": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_in_days"].required = False  # left out: kept, or the default for a new cycle

    def clean_check_in_days(self):
        value = self.cleaned_data.get("check_in_days")
        return value or self.instance.check_in_days or Cycle._meta.get_field("check_in_days").default

    def clean(self):
        data = super().clean()
        starts_on, deadline = data.get("starts_on"), data.get("deadline")
        if starts_on and deadline and deadline < starts_on:
            self.add_error("deadline", _("Fristen kan ikke være før starten."))
        return data

    def _post_clean(self):
        """The service validates the model; the form checks shape only."""
