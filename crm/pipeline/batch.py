"""What the scoring batch jobs (`crm score`, `crm train`) share about running in one process."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a batch job. It would rescan, again and again, the
    hundreds of thousands of facts and rows that live until the job ends (a quarter of
    rescoring's time); they form no cycles, and the job frees them when it returns."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
