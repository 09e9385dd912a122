"""Read-only pages about a conversation: history, access log, version comparison."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from conversations import selectors, services
from conversations.access.permissions import access_conversation
from conversations.contract import versions_diff
from conversations.models import ItemResponse, Status
from conversations.notify import ics
from conversations.records import history_subjects
from conversations.web.views._common import back_to, page
from core import dates
from core.errors import NotAllowed
from goals.models import Expectation, Goal

ACTIONS = {
    "create": _("Conversation created"),
    "update": _("Meeting details changed"),
    "submit": _("Sent for confirmation"),
    "confirm": _("Agreement confirmed"),
    "request_changes": _("Changes requested"),
    "revise": _("Revision started"),
    "amend": _("Agreement opened for changes"),
    "close": _("Conversation closed"),
    "cancel": _("Conversation cancelled"),
    "comment": _("Comment added"),
    "statement": _("Supplementary statement added"),
    "agenda_point": _("Agenda point added"),
    "agenda_point_shared": _("Agenda point shared"),
    "item_response": _("Item answered"),
    "follow_up": _("Follow-up entry added"),
    "question": _("Question asked"),
    "answer": _("Question answered"),
    "promise_kept": _("Promise marked as kept"),
    "promise_not_kept": _("Promise marked as not kept"),
    "proposal_created": _("Medarbeideren foreslo et punkt"),
    "proposal_accepted": _("Forslaget ble godtatt"),
    "proposal_declined": _("Forslaget ble avslått"),
    "deputy_granted": _("Deputy granted access"),
    "deputy_ended": _("Deputy's access ended"),
    "leader_changed": _("New leader"),
    "task_created": _("Task added"),
    "task_updated": _("Task changed"),
    "task_deleted": _("Task deleted"),
    "goal_created": _("Goal added"),
    "goal_updated": _("Goal changed"),
    "goal_deleted": _("Goal deleted"),
    "expectation_created": _("Expectation added"),
    "expectation_updated": _("Expectation changed"),
    "expectation_deleted": _("Expectation deleted"),
}

FIELD_LABELS = {
    "title": _("Title"),
    "description": _("Description"),
    "due_date": _("Due date"),
    "kind": _("Kind of goal"),
    "measure": _("Measure"),
    "supports": _("Supports"),
    "direction": _("Direction"),
    "text": _("Text"),
    "order": _("Order"),
    "scheduled_at": _("Meeting time"),
    "held_on": _("Held on"),
    "version": _("Version"),
    "sha256": _("SHA-256"),
    "status": _("Status"),
    "stance": _("Answer"),
    "answers_kept": _("Answers kept from the previous version"),
    "until": _("Until"),
    "deputy": _("Deputy"),
    "reason": _("Begrunnelse"),
}

VALUE_LABELS = {
    **dict(Goal.Kind.choices),
    **dict(Expectation.Direction.choices),
    **dict(Status.choices),
    **dict(ItemResponse.Stance.choices),
    "not_a_leader": _("Stedfortrederen er ikke leder"),  # a grant ended by `expire_grants`
}

# Fields kept for the record but meaningless to the parties: the items' order in their list, and the
# people's ids (the history names the deputy and the item in words instead).
HIDDEN_FIELDS = frozenset({"order", "deputy"})

SUBJECT_LABELS = {
    "goal": _("Mål"),
    "task": _("Oppgave"),
    "expectation": _("Forventning"),
    "agenda_point": _("Tema"),
    "deputy": _("Stedfortreder"),
}

SECTION_TITLES = {"tasks": _("Tasks"), "goals": _("Goals"), "expectations": _("Expectations")}
CHANGE_LABELS = {
    versions_diff.ADDED: _("Added"),
    versions_diff.CHANGED: _("Changed"),
    versions_diff.REMOVED: _("Removed"),
    versions_diff.UNCHANGED: _("Unchanged"),
}


def _date_text(value: str) -> str | None:
    """An ISO date or datetime, as the history stores them, in the one date format (core.dates)."""
    looks_like_a_date = len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit()
    if not looks_like_a_date or (len(value) > 10 and value[10] != "T"):
        return None
    shown = dates.moment(value)
    return None if shown == value else shown


def _value(value) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(value, str) and (shown := _date_text(value)):
        return shown
    if isinstance(value, list):
        return " → ".join(_value(v) for v in value)
    if isinstance(value, dict) and "title" in value:  # a goal's supported unit goal, as agreed
        return f"{value['title']} ({value.get('unit', '')})"
    if isinstance(value, str):
        return str(VALUE_LABELS.get(value, value))
    return str(value)


def describe_changes(changes: dict) -> list[tuple[str, str]]:
    """(label, value) pairs a person can read; nested field changes are flattened."""
    pairs = []
    for key, value in (changes or {}).items():
        if key in ("fields", "values") and isinstance(value, dict):
            pairs.extend(describe_changes(value))
        elif key in FIELD_LABELS and key not in HIDDEN_FIELDS:
            pairs.append((str(FIELD_LABELS[key]), _value(value)))
    return pairs


@dataclass(frozen=True)
class HistoryRow:
    entry: object
    label: str
    details: list
    subject: str = ""  # "Mål: «Ferdigstille plan»": what the entry is about, in words


def _label(entry) -> str:
    fields = (entry.changes or {}).get("fields")
    if entry.action.endswith("_updated") and isinstance(fields, dict) and set(fields) <= {"order"}:
        return str(_("Rekkefølgen ble endret"))
    return str(ACTIONS.get(entry.action, entry.action))


def _subject(found) -> str:
    if not found:
        return ""
    kind, name = found
    return f"{SUBJECT_LABELS[kind]}: «{name}»"


@page
def history(request, pk):
    conversation = access_conversation(request.user, pk)
    entries = list(selectors.history(conversation).reverse())
    about = history_subjects.subjects(conversation, entries)
    rows = [
        HistoryRow(
            entry,
            _label(entry),
            describe_changes(entry.changes),
            _subject(about.get(entry.pk)),
        )
        for entry in entries
    ]
    return render(request, "conversations/history.html", {"conversation": conversation, "rows": rows})


ACCESS_LOG_ROWS = 500


@page
def access_log(request, pk):
    """Who opened the conversation: everyone but the parties first (what the log is for), then the
    parties' own reads."""
    conversation = access_conversation(request.user, pk)
    if request.user.pk not in (conversation.employee_id, conversation.leader_id):
        # As in the API: the parties read who opened their conversation; a deputy does not.
        raise NotAllowed(_("Only the employee and the leader can read the access log."))
    parties = (conversation.employee_id, conversation.leader_id)
    log = selectors.access_log(conversation)
    context = {
        "conversation": conversation,
        "others": log.exclude(user_id__in=parties)[:ACCESS_LOG_ROWS],
        "own": log.filter(user_id__in=parties)[:ACCESS_LOG_ROWS],
    }
    return render(request, "conversations/access_log.html", context)


def _field_rows(section: str, change: versions_diff.ItemChange) -> list[dict]:
    rows = []
    for name in versions_diff.FIELDS[section]:
        before = _value((change.before or {}).get(name)) if change.before else None
        after = _value((change.after or {}).get(name)) if change.after else None
        rows.append(
            {
                "label": FIELD_LABELS[name],
                "before": before,
                "after": after,
                "changed": name in change.changed_fields,
            }
        )
    return rows


def _default_pair(versions) -> tuple[int | None, int | None]:
    if len(versions) < 2:
        return None, None
    return versions[-2].number, versions[-1].number


@page
def compare(request, pk):
    conversation = access_conversation(request.user, pk)
    versions = list(conversation.versions.order_by("number"))
    default_a, default_b = _default_pair(versions)
    version_a = selectors.version_by_number(conversation, request.GET.get("a", default_a))
    version_b = selectors.version_by_number(conversation, request.GET.get("b", default_b))
    sections = []
    counts = None
    if version_a and version_b:
        services.access_log_record(conversation=conversation, user=request.user, channel="web")
        changes = versions_diff.compare_contents(version_a.content, version_b.content)
        counts = versions_diff.summary(changes)
        for section, section_changes in changes.items():
            items = [
                {
                    "change": c.change,
                    "label": CHANGE_LABELS[c.change],
                    "summary": (c.after or c.before or {}).get("title")
                    or (c.after or c.before or {}).get("text"),
                    "fields": _field_rows(section, c),
                }
                for c in section_changes
            ]
            sections.append({"key": section, "title": SECTION_TITLES[section], "items": items})
    context = {
        "conversation": conversation,
        "versions": versions,
        "version_a": version_a,
        "version_b": version_b,
        "sections": sections,
        "counts": counts,
    }
    return render(request, "conversations/compare.html", context)


@page
def calendar(request, pk):
    conversation = access_conversation(request.user, pk)
    if conversation.scheduled_at is None:
        messages.error(request, str(_("The conversation has no meeting time yet.")))
        return back_to(conversation)
    response = HttpResponse(
        ics.invitation(conversation, domain=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="samtale-{conversation.pk}.ics"'
    return response
