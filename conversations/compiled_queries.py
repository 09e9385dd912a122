"""Temporary shim for `conversations.waiting` only, until it builds its querysets itself (issue 18).

`CompiledQuery(build)(*args)` is `list(build(*args))`: the ORM's queryset, run as the ORM runs it.
Nothing else may import this module; it goes when `waiting.py` stops using it.
"""


class CompiledQuery:
    def __init__(self, build):
        self.build = build

    def __call__(self, *args) -> list:
        return list(self.build(*args))
