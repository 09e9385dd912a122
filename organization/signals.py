"""Signals of the organisation's writes."""

from django.dispatch import Signal

# People were marked as having left, in bulk (`user_ids`: their primary keys). Whatever keeps access for
# a person (API tokens, sessions) ends it here; `identity` does.
people_left = Signal()
