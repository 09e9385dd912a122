"""Comparing two versions of a contract: which items were added, changed or removed.

Works on the versions' canonical content (`ContractVersion.content`), item by item id, so what is
compared is exactly what was signed or submitted.
"""

from dataclasses import dataclass

SECTIONS = ("tasks", "goals", "expectations")
FIELDS = {
    "tasks": ("title", "description", "due_date"),
    "goals": ("kind", "title", "description", "measure", "due_date", "supports"),
    "expectations": ("direction", "text"),
}

ADDED = "added"
CHANGED = "changed"
REMOVED = "removed"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    change: str
    before: dict | None
    after: dict | None
    changed_fields: tuple[str, ...] = ()


def _by_id(items) -> dict:
    return {item["id"]: item for item in items or ()}


def compare_section(section: str, before_items, after_items) -> list[ItemChange]:
    """The items of one section in the newer version's order, removed ones after them."""
    before, after = _by_id(before_items), _by_id(after_items)
    changes = []
    for item_id, new in after.items():
        old = before.get(item_id)
        if old is None:
            changes.append(ItemChange(item_id, ADDED, None, new))
            continue
        changed = tuple(f for f in FIELDS[section] if old.get(f) != new.get(f))
        changes.append(ItemChange(item_id, CHANGED if changed else UNCHANGED, old, new, changed))
    changes.extend(
        ItemChange(item_id, REMOVED, old, None) for item_id, old in before.items() if item_id not in after
    )
    return changes


def compare_contents(before: dict, after: dict) -> dict[str, list[ItemChange]]:
    """{section: [ItemChange]} for tasks, goals and expectations."""
    return {
        section: compare_section(section, before.get(section), after.get(section)) for section in SECTIONS
    }


def summary(changes: dict[str, list[ItemChange]]) -> dict[str, int]:
    """How many items were added, changed and removed in all sections together."""
    counts = {ADDED: 0, CHANGED: 0, REMOVED: 0, UNCHANGED: 0}
    for section_changes in changes.values():
        for change in section_changes:
            counts[change.change] += 1
    return counts
