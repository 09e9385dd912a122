"""What each history entry is about, named as the parties know it: "Mål: «Ferdigstille plan»".

The names come first from the history itself (an item's creation, changes and deletion carry its
title or text as they were), then, for what the history does not name (carried-over items, answers,
comments and follow-ups on an item, shared agenda points), from one query per kind of object, so a
long history costs no more queries than a short one. An agenda point that is not shared is the
author's private preparation: it is named to nobody here.
"""

from conversations.models import AgendaPoint, Comment, FollowUp
from organization.models import User

# The contract's items by kind, read through the conversation's related managers (`goals`, `tasks`,
# `expectations`) and named by this field.
ITEM_KINDS = {"goal": "title", "task": "title", "expectation": "text"}
ITEM_ACTIONS = {f"{kind}_{verb}": kind for kind in ITEM_KINDS for verb in ("created", "updated", "deleted")}
TEXT_LIMIT = 80


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _item_name(values: dict) -> str | None:
    name = values.get("title") or values.get("text")
    return _short(name) if name else None


def _names_from_history(entries) -> dict:
    """(kind, id) -> the item's latest name as the history tells it (oldest entry first)."""
    names = {}
    for entry in sorted(entries, key=lambda e: (e.created_at, e.pk)):
        kind = ITEM_ACTIONS.get(entry.action)
        changes = entry.changes or {}
        if kind is None or "id" not in changes:
            continue
        values = changes.get("values") or {}
        new = {
            field: pair[-1] for field, pair in (changes.get("fields") or {}).items() if isinstance(pair, list)
        }
        name = _item_name(new) or _item_name(values)
        if name:
            names[(kind, changes["id"])] = name
    return names


def _item_key(entry):
    """(kind, id) of the item an entry is about directly, or None."""
    changes = entry.changes or {}
    kind = ITEM_ACTIONS.get(entry.action)
    if kind is not None:
        return (kind, changes.get("id"))
    if entry.action == "item_response":
        for kind in ITEM_KINDS:
            if changes.get(kind):
                return (kind, changes[kind])
    return None


def _referenced_items(model, ids) -> dict:
    """id -> (kind, id) of the item a comment or follow-up is about."""
    if not ids:
        return {}
    rows = model.objects.filter(pk__in=ids).values_list("pk", "goal_id", "task_id", "expectation_id")
    found = {}
    for pk, goal_id, task_id, expectation_id in rows:
        for kind, item_id in (("goal", goal_id), ("task", task_id), ("expectation", expectation_id)):
            if item_id:
                found[pk] = (kind, item_id)
    return found


def _load_missing(conversation, names: dict, keys) -> None:
    for kind, field in ITEM_KINDS.items():
        ids = {item_id for k, item_id in keys if k == kind and (k, item_id) not in names}
        if not ids:
            continue
        items = getattr(conversation, f"{kind}s").filter(pk__in=ids)
        for pk, name in items.values_list("pk", field):
            names[(kind, pk)] = _short(name)


def subjects(conversation, entries) -> dict:
    """entry pk -> (kind, name): the item, shared agenda point or deputy each entry is about."""
    entries = list(entries)
    names = _names_from_history(entries)
    keys = {entry.pk: _item_key(entry) for entry in entries}
    comments = _referenced_items(
        Comment, [e.changes.get("comment") for e in entries if (e.changes or {}).get("comment")]
    )
    follow_ups = _referenced_items(
        FollowUp, [e.changes.get("follow_up") for e in entries if (e.changes or {}).get("follow_up")]
    )
    for entry in entries:
        changes = entry.changes or {}
        keys[entry.pk] = (
            keys[entry.pk] or comments.get(changes.get("comment")) or follow_ups.get(changes.get("follow_up"))
        )
    _load_missing(conversation, names, {key for key in keys.values() if key})
    found = {pk: (key[0], names[key]) for pk, key in keys.items() if key and key in names}
    found.update(_agenda_points(conversation, entries))
    found.update(_deputies(entries))
    return found


def _deputies(entries) -> dict:
    """A deputy grant's entries name the deputy (the history keeps their employee id)."""
    ids = {e.changes["deputy"] for e in entries if isinstance((e.changes or {}).get("deputy"), str)}
    if not ids:
        return {}
    people = dict(User.objects.filter(employee_id__in=ids).values_list("employee_id", "full_name"))
    return {
        e.pk: ("deputy", people[e.changes["deputy"]])
        for e in entries
        if isinstance((e.changes or {}).get("deputy"), str) and e.changes["deputy"] in people
    }


def _agenda_points(conversation, entries) -> dict:
    ids = {e.changes.get("point"): e.pk for e in entries if (e.changes or {}).get("point")}
    if not ids:
        return {}
    shared = AgendaPoint.objects.filter(conversation=conversation, pk__in=ids, shared=True)
    texts = dict(shared.values_list("pk", "text"))
    return {
        entry.pk: ("agenda_point", _short(texts[entry.changes["point"]]))
        for entry in entries
        if (entry.changes or {}).get("point") in texts
    }
