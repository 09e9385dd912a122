"""A task for the worker tests: notes when it starts and when it ends, and takes its time between."""

import time
from pathlib import Path

from django_tasks import task


@task()
def note_start_wait_note_end(path: str, seconds: float) -> None:
    with Path(path).open("a") as notes:
        notes.write("started\n")
    time.sleep(seconds)
    with Path(path).open("a") as notes:
        notes.write("done\n")
