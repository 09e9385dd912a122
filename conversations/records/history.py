"""Writing the conversation's history: one row per transition or content change."""

from conversations.models import Conversation, HistoryEntry


def record(conversation: Conversation | int, actor, action: str, **changes) -> HistoryEntry:
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    return HistoryEntry.objects.create(
        conversation_id=conversation_id,
        actor=actor if actor and actor.pk else None,
        action=action,
        changes=changes,
    )


def field_changes(instance, data: dict) -> dict:
    """{field: [old, new]} for each field in `data` whose value differs; JSON-safe values."""
    changed = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changed[field] = [plain(old), plain(new)]
    return changed


def plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value
