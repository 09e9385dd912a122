"""Forms for the HTML pages. They check shape only; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.access.deputy_selectors import deputy_candidates, deputy_choices
from conversations.models import Cycle, FollowUp, ItemResponse
from core import free_text
from goals.models import Expectation, Goal, Proposal, UnitGoal
from goals.selectors import line_of_sight


class PageForm(forms.Form):
    """Labels without Django's trailing colon: the pages put the label above the field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, *, required: bool = True, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=_textarea(rows),
        help_text=help_text,
        **free_text.field_kwargs(),
    )


class ConversationCreateForm(PageForm):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.order_by("-starts_on", "-pk"), required=False
    )
    scheduled_at = forms.DateTimeField(
        label=_("Meeting time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    carry_over = forms.BooleanField(
        label=_("Carry over open goals and tasks from the last confirmed agreement"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, offer_carry_over: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].empty_label = _("No cycle")
        if not offer_carry_over:
            del self.fields["carry_over"]


class MeetingTimeForm(PageForm):
    scheduled_at = forms.DateTimeField(
        label=_("Meeting time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    held_on = forms.DateField(label=_("Dato holdt"), required=False, widget=_date_input())
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AgendaPointForm(PageForm):
    text = _text(_("Agenda point"), rows=2)
    private = forms.BooleanField(
        label=_("Private preparation: only I can see it until I share it"), required=False
    )


class TaskForm(PageForm):
    title = forms.CharField(label=_("Task"), max_length=300)
    description = _text(_("Description"), required=False, rows=2)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_date_input())


class GoalForm(PageForm):
    kind = forms.ChoiceField(
        label=_("Kind of goal"), choices=Goal.Kind.choices, widget=forms.RadioSelect, initial=Goal.Kind.RESULT
    )
    title = forms.CharField(label=_("Goal"), max_length=300)
    measure = _text(_("How will we know it is reached?"), required=False, rows=2)
    description = _text(_("Description"), required=False, rows=2)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_date_input())
    supports = forms.ModelChoiceField(
        label=_("Supports"),
        queryset=UnitGoal.objects.none(),
        required=False,
        help_text=_("A goal of the employee's unit or a unit above it that this goal helps reach."),
    )

    def __init__(self, *args, line_of_sight=None, **kwargs):
        """`line_of_sight`: the unit goals the goal may support; without any the field is left out."""
        super().__init__(*args, **kwargs)
        goals = list(line_of_sight or ())
        if not goals:
            del self.fields["supports"]
            return
        field = self.fields["supports"]
        field.queryset = UnitGoal.objects.filter(pk__in=[g.pk for g in goals])
        field.choices = [("", _("None")), *((g.pk, f"{g.unit.name}: {g.title}") for g in goals)]


class ExpectationForm(PageForm):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            (Expectation.Direction.LEADER_TO_EMPLOYEE, _("My expectations of the employee")),
            (Expectation.Direction.EMPLOYEE_TO_LEADER, _("The employee's expectations of me")),
        ],
        widget=forms.RadioSelect,
        initial=Expectation.Direction.LEADER_TO_EMPLOYEE,
    )
    text = _text(_("Expectation"), rows=2)


ITEM_FORMS = {"task": TaskForm, "goal": GoalForm, "expectation": ExpectationForm}


class RevisionForm(PageForm):
    """The revision the user last saw, so a stale edit or delete is refused."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def item_edit_form_class(kind: str) -> type[forms.Form]:
    return type(f"{ITEM_FORMS[kind].__name__}Edit", (ITEM_FORMS[kind], RevisionForm), {})


def item_form_kwargs(kind: str, conversation) -> dict:
    """The extra arguments an item form takes: a goal form offers the unit goals in sight."""
    return {"line_of_sight": line_of_sight(conversation)} if kind == "goal" else {}


class ItemResponseForm(PageForm):
    stance = forms.ChoiceField(
        label=_("Your answer"), choices=ItemResponse.Stance.choices, widget=forms.RadioSelect
    )
    comment = _text(_("Comment"), required=False, rows=2)

    def __init__(self, *args, about: str = "", form_id: str = "", **kwargs):
        """`form_id`: the one form on the page that posts every item's answer (HTML's form attribute)."""
        super().__init__(*args, **kwargs)
        if form_id:
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id
        if about:
            self.fields["stance"].label = _("Your answer to “%(item)s”") % {"item": about}
            self.fields["comment"].label = _("Comment on your answer to “%(item)s”") % {"item": about}

    def clean(self):
        data = super().clean()
        if (
            data.get("stance") not in (None, ItemResponse.Stance.AGREE)
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Explain your stance in a comment."))
        return data


class ConfirmForm(PageForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


class RequestChangesForm(PageForm):
    comment = _text(_("What would you like changed?"), rows=3)


class CommentForm(PageForm):
    text = _text(_("Comment"), rows=2)

    def __init__(self, *args, about: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if about:
            self.fields["text"].label = _("Comment on “%(item)s”") % {"item": about}


class StatementForm(PageForm):
    text = _text(
        _("Supplementary statement"),
        rows=3,
        help_text=_("Shown with the agreement and printed in the PDF. The agreement itself does not change."),
    )


class FollowUpForm(PageForm):
    kind = forms.ChoiceField(
        label=_("Kind of entry"),
        choices=FollowUp.Kind.choices,
        initial=FollowUp.Kind.NOTE,
        required=False,
        help_text=_(
            "A question waits on the other party until they answer. Kept or not kept: about an "
            "expectation the other party meets for you."
        ),
    )
    text = _text(_("Are we on the right track?"), rows=3)
    item = forms.ChoiceField(label=_("About"), required=False)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5, "inputmode": "numeric"}),
    )
    item_status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("No status")), *FollowUp.ItemStatus.choices],
    )

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("The whole agreement")), *item_choices]
        # Answers are given on the question itself (AnswerForm).
        self.fields["kind"].choices = [c for c in FollowUp.Kind.choices if c[0] != FollowUp.Kind.ANSWER]

    def clean_kind(self):
        return self.cleaned_data["kind"] or FollowUp.Kind.NOTE  # a post without it is a plain entry


class AnswerForm(PageForm):
    """The answer to one open question: one of the three answers and a text."""

    answer = forms.ChoiceField(
        label=_("Your answer"), choices=FollowUp.Answer.choices, widget=forms.RadioSelect
    )
    text = _text(_("Text"), rows=2)


class ProposalForm(PageForm):
    """The employee's proposal for the draft: a goal, a task or an expectation."""

    kind = forms.ChoiceField(label=_("Hva foreslår du?"), choices=Proposal.Kind.choices)
    title = forms.CharField(
        label=_("Tittel"), max_length=300, required=False, help_text=_("For et mål eller en oppgave.")
    )
    text = _text(_("Beskrivelse"), required=False, help_text=_("For en forventning: forventningen selv."))
    goal_kind = forms.ChoiceField(
        label=_("Type mål"), choices=[("", _("Ikke et mål")), *Goal.Kind.choices], required=False
    )
    direction = forms.ChoiceField(
        label=_("Forventningen gjelder"),
        choices=[("", _("Ikke en forventning")), *Expectation.Direction.choices],
        required=False,
    )


class DeclineForm(PageForm):
    reason = _text(_("Begrunnelse"), rows=2, help_text=_("Medarbeideren ser begrunnelsen."))


class DeputyGrantForm(PageForm):
    deputy = forms.CharField(
        label=_("Stedfortreder"),
        max_length=200,
        help_text=_("Skriv navnet (eller ansattnummeret) til en annen leder."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    pick = forms.IntegerField(required=False, widget=forms.HiddenInput)
    conversation = forms.ModelChoiceField(label=_("Conversations"), queryset=None, required=False)
    until = forms.DateField(label=_("Until (inclusive)"), widget=_date_input())

    def __init__(self, *args, conversations=None, leader=None, search_url: str = "", **kwargs):
        """`leader`: whose choices the name is looked up in; `search_url`: the name search that
        offers them while typing (htmx), without scripts a name with several matches asks again."""
        super().__init__(*args, **kwargs)
        self.leader = leader
        self.candidates = []
        field = self.fields["conversation"]
        field.queryset = conversations
        field.empty_label = _("All my conversations")
        field.label_from_instance = lambda c: (
            f"{c.employee.full_name}" + (f" – {c.cycle}" if c.cycle_id else "")
        )
        if search_url:
            self.fields["deputy"].widget.attrs.update(
                {
                    "hx-get": search_url,
                    "hx-trigger": "input changed delay:250ms, search",
                    "hx-target": "#deputy-candidates",
                    "hx-swap": "innerHTML",
                    "aria-controls": "deputy-candidates",
                }
            )

    def clean(self):
        """`deputy` becomes the person chosen: the one picked among the matches (`pick`, from the
        search or a second pass), else the only one of the leader's choices the text names, else None.
        None and nobody-of-the-choices are refused by the service with one message, so the page never
        tells whether a name or an id exists outside them."""
        data = super().clean()
        text = data.get("deputy")
        if text is None:
            return data
        choices = deputy_choices(self.leader)
        if data.get("pick"):
            data["deputy"] = choices.filter(pk=data["pick"]).first()
            return data
        exact = choices.filter(employee_id__iexact=text.strip()).first()
        matches = [] if exact else deputy_candidates(self.leader, text)
        if exact or len(matches) == 1:
            data["deputy"] = exact or matches[0]
        elif len(matches) > 1:
            self.candidates = matches
            self.add_error("deputy", _("Flere ledere passer til navnet. Velg én av dem under feltet."))
        else:
            data["deputy"] = None
        return data


class ShareHistoryForm(PageForm):
    shared = forms.BooleanField(required=False)


class EmailDigestForm(PageForm):
    digest = forms.BooleanField(required=False)


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor in the first field with an error, so a re-rendered page opens where help is needed."""
    for name in form.errors:
        if name in form.fields and not form.fields[name].widget.is_hidden:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def focus_field(form: forms.Form, name: str) -> None:
    form.fields[name].widget.attrs["autofocus"] = True
