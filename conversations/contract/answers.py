"""The employee's answers across versions: an answer belongs to an item as it stood when answered.

When the leader submits a new version, each item whose content is unchanged since the previous
version keeps the answer it had there (copied onto the new version); a changed or new item is asked
again. Earlier versions keep their own answers, so the history is never rewritten."""

from conversations.contract.canonical import item_contents
from conversations.models import ContractVersion, ItemResponse


def unchanged_item_keys(before: dict, after: dict) -> set[tuple[str, int]]:
    """(kind, id) of the items whose content is identical in two versions' canonical content."""
    earlier = item_contents(before)
    return {key for key, item in item_contents(after).items() if earlier.get(key) == item}


def carry_unchanged_answers(*, previous: ContractVersion | None, version: ContractVersion) -> int:
    """Copy `previous`'s answers onto `version` for the items that did not change; returns how many.

    Precondition: `version` was just created and has no answers yet."""
    if previous is None:
        return 0
    unchanged = unchanged_item_keys(previous.content, version.content)
    carried = [
        ItemResponse(
            conversation_id=version.conversation_id,
            version=version,
            goal_id=answer.goal_id,
            task_id=answer.task_id,
            expectation_id=answer.expectation_id,
            author_id=answer.author_id,
            stance=answer.stance,
            comment=answer.comment,
            created_at=answer.created_at,
        )
        for answer in previous.responses.all()
        if _key(answer) in unchanged
    ]
    ItemResponse.objects.bulk_create(carried)
    return len(carried)


def _key(answer: ItemResponse) -> tuple[str, int] | None:
    for kind in ("goal", "task", "expectation"):
        pk = getattr(answer, f"{kind}_id")
        if pk:
            return (kind, pk)
    return None
