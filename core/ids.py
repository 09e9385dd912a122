"""Ids from outside (paths, bodies, query strings) checked against what a database id can be, so an id no
row can have is refused before it reaches the database (where it would overflow: a 500)."""

MAX_ID = 2**63 - 1  # the largest value of a 64-bit id column (BigAutoField)


def is_id(value: int) -> bool:
    """Whether `value` can be the primary key of a row: 1 to MAX_ID (ids are never zero or negative)."""
    return 0 < value <= MAX_ID


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
