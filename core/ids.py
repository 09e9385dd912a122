"""Ids from outside (paths, bodies, query strings) checked against what a database id can be, so an id no
row can have is refused before it reaches the database (where it would overflow: a 500)."""

from django.http import Http404

MAX_ID = 2**63 - 1  # the largest value of a 64-bit id column (BigAutoField)


def is_id(value: int) -> bool:
    """Whether `value` can be the primary key of a row: 1 to MAX_ID (ids are never zero or negative)."""
    return 0 < value <= MAX_ID


def id_or_404(value) -> int:
    """`value` as a row id; 404 when it is not a number or no row can have it."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    if not is_id(number):
        raise Http404
    return number


class IdConverter:
    """`<id:pk>` in URL patterns: `<int:pk>` that matches only what a row's id can be (no more than 19
    digits, at most MAX_ID), so a larger one finds no route: 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not is_id(number):
            raise ValueError(value)  # the URL resolver takes this as "no match"
        return number

    def to_url(self, value) -> str:
        return str(int(value))
