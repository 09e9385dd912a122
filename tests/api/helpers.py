"""Helpers for the API tests: count queries, build URLs. (Workflow steps: `tests/workflow.py`.)"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

API = "/api/v1"


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def url(path: str) -> str:
    return f"{API}/{path.lstrip('/')}"
