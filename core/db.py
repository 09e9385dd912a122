"""Database helpers every app shares: the row lock, and ids in chunks a backend accepts."""

from collections.abc import Iterable, Iterator
from itertools import islice

# Ids per `pk__in` list: below SQLite's smallest variable limit (999), so every backend accepts it.
IN_CHUNK_SIZE = 500


def locked(queryset, pk):
    """The row `pk` of `queryset` re-read under a row lock held until the transaction ends.

    `SELECT ... FOR UPDATE OF` the queryset's own table only: rows joined with `select_related` are
    read, not locked. Call it inside `transaction.atomic`; a state check on the returned row sees the
    committed truth, and a concurrent writer of the same row waits. Raises the model's `DoesNotExist`
    when the row is gone."""
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def in_chunks(items: Iterable, size: int = IN_CHUNK_SIZE) -> Iterator[list]:
    """`items` in lists of at most `size`, in their order."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
