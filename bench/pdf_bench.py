"""Benchmark: render the large contract's PDF repeatedly in one warm process.

    .venv/bin/python bench/pdf_bench.py [--renders 20] [--language nb] [--json bench-results/pdf.json]
    .venv/bin/python bench/pdf_bench.py --worst [--all-kinds] [--shape word] [--renders 10]
    .venv/bin/python bench/pdf_bench.py --each-shape [--renders 5] [--only "all kinds,bidi"]

`--worst` renders the worst case of `bench/pdf_worst_case.py` instead: every printed field at its
maximum length, the fields taking the hostile text shapes in turn (or all `--shape`); one task, goal and
expectation, or with `--all-kinds` a goal of each kind and an expectation in each direction.
`--each-shape` measures, in one process, the mixed worst case, the `--all-kinds` one and the worst case
with every field in each shape in turn, and prints one line each (CPU median, pages, load).

Builds a throwaway test database (SQLite in memory, or a test database on DATABASE_URL's server), adds a
confirmed contract with 10 goals, 5 tasks, 6 expectations and 20 follow-ups through the services, warms up,
then renders it `--renders` times. Prints the median and p95 of wall and CPU time per render and the peak
memory: the process's peak resident set (getrusage) and the peak of Python allocations during one render
(tracemalloc, measured on a separate render so it does not slow the timed ones). Target: median < 1 s.
"""

import argparse
import io
import json
import logging
import math
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()
for _name in ("weasyprint", "weasyprint.progress"):  # before weasyprint is imported: it logs on import
    logging.getLogger(_name).setLevel(logging.ERROR)

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.pdf_worst_case import ALL_KINDS, SHAPES, build_worst_case  # noqa: E402
from conversations.access.permissions import access_conversation  # noqa: E402
from reports.pdf import render_conversation_pdf  # noqa: E402
from reports.selectors import conversation_pdf_data  # noqa: E402
from tests.reports.contracts import build_contract  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def build_data(args):
    if args.worst:
        shapes = (args.shape,) if args.shape else tuple(SHAPES)
        conversation = build_worst_case(shapes, **(ALL_KINDS if args.all_kinds else {}))
    else:
        conversation = build_contract()
    conversation = access_conversation(conversation.employee, conversation.pk)
    started = time.perf_counter()
    data = conversation_pdf_data(conversation)
    return data, time.perf_counter() - started


def measure(data, *, renders: int, language: str) -> dict:
    for _ in range(2):  # warm-up: imports, font loading, template compilation
        render_conversation_pdf(data, language=language)
    walls, cpus, body = [], [], b""
    for _ in range(renders):
        wall, cpu = time.perf_counter(), time.process_time()
        body = render_conversation_pdf(data, language=language)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    render_conversation_pdf(data, language=language)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "renders": renders,
        "language": language,
        "pdf_bytes": len(body),
        "pages": len(PdfReader(io.BytesIO(body)).pages),
        "wall_median_s": statistics.median(walls),
        "wall_p95_s": percentile(walls, 0.95),
        "wall_max_s": max(walls),
        "cpu_median_s": statistics.median(cpus),
        "cpu_p95_s": percentile(cpus, 0.95),
        "peak_rss_mib": peak_rss_mib,
        "python_alloc_peak_per_render_mib": traced_peak / 2**20,
        "load_average_1min": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def each_shape(args) -> list[dict]:
    """The mixed worst case, the all-kinds one and one per shape, measured one after the other."""
    cases = [("mixed", tuple(SHAPES), {}), ("all kinds", tuple(SHAPES), ALL_KINDS)]
    cases += [(shape, (shape,), {}) for shape in SHAPES]
    if args.only:
        cases = [case for case in cases if case[0] in args.only.split(",")]
    results = []
    for name, shapes, kinds in cases:
        conversation = build_worst_case(shapes, **kinds)
        data = conversation_pdf_data(access_conversation(conversation.employee, conversation.pk))
        result = {"case": name, **measure(data, renders=args.renders, language=args.language)}
        print(
            f"{name:14} cpu median {result['cpu_median_s']:.3f} s  p95 {result['cpu_p95_s']:.3f} s  "
            f"{result['pages']:3} pages  load {result['load_average_1min']:.1f}",
            flush=True,
        )
        results.append(result)
    return results


def describe(args) -> str:
    if not args.worst:
        return "contract of 10 goals, 5 tasks, 6 expectations, 20 follow-ups"
    items = "a goal of each kind, both expectations" if args.all_kinds else "one task, goal, expectation"
    return f"worst case ({items}; shapes: {args.shape or 'all in turn'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--language", choices=("nb", "nn", "en"), default="nb")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON to this file.")
    parser.add_argument("--worst", action="store_true", help="Render the worst case instead.")
    parser.add_argument(
        "--all-kinds", action="store_true", help="Worst case: a goal of each kind, both ways."
    )
    parser.add_argument("--shape", choices=tuple(SHAPES), help="Worst case: every field in this shape.")
    parser.add_argument(
        "--each-shape", action="store_true", help="The worst cases: mixed, all kinds, and each shape."
    )
    parser.add_argument("--only", help='With --each-shape: these cases, e.g. "all kinds,bidi".')
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if args.each_shape:
        try:
            results = each_shape(args)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        over = [r["case"] for r in results if r["cpu_median_s"] >= 1]
        verdict = "met by every case" if not over else "NOT met by " + ", ".join(over)
        print(f"  target CPU median < 1 s: {verdict}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2))
        return
    try:
        data, selector_s = build_data(args)
        result = {"selector_s": selector_s, **measure(data, renders=args.renders, language=args.language)}
        result["case"] = describe(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(
        f"PDF benchmark, {result['case']}: {result['renders']} renders, {result['language']}, "
        f"{result['pdf_bytes']} bytes, {result['pages']} pages"
    )
    print(
        f"  wall  median {result['wall_median_s']:.3f} s   p95 {result['wall_p95_s']:.3f} s"
        f"   max {result['wall_max_s']:.3f} s"
    )
    print(f"  cpu   median {result['cpu_median_s']:.3f} s   p95 {result['cpu_p95_s']:.3f} s")
    print(
        f"  peak RSS {result['peak_rss_mib']:.0f} MiB; Python allocations peak per render "
        f"{result['python_alloc_peak_per_render_mib']:.1f} MiB"
    )
    print(
        f"  selector {result['selector_s'] * 1000:.1f} ms; {result['cpus']} CPUs, load average "
        f"{result['load_average_1min']:.2f}"
    )
    print(f"  target median < 1 s: {'met' if result['wall_median_s'] < 1 else 'NOT met'}")
    print(f"  target CPU median < 1 s: {'met' if result['cpu_median_s'] < 1 else 'NOT met'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
