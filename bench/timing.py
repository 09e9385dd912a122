"""What the request benchmarks measure of one call: its median wall time and its query count."""

import statistics as stats
import time

from django.db import connection


def timed(call, repeat: int) -> tuple[float, int]:
    """Median wall seconds over `repeat` calls after one warm-up, and the queries of one call."""
    call()
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # the test client's request signals reset queries_log
        call()
    walls = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        walls.append(time.perf_counter() - start)
    return stats.median(walls), len(executed)
