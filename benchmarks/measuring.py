"""How a benchmark run is timed, kept apart in its own process, and reported."""

import resource
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from time import perf_counter
from typing import Any

Run = dict[str, float]  # phase -> seconds, and "peak RSS" in MB: plain data crosses processes
Info = dict[str, Any]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@contextmanager
def phase_clock(module: Any, phases: dict[str, str]) -> Iterator[dict[str, float]]:
    """Time the functions `module` calls by name ({attribute: phase}); seconds add up per phase."""
    spent: dict[str, float] = defaultdict(float)
    originals = {attribute: getattr(module, attribute) for attribute in phases}

    def timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def clocked(*args: Any, **kwargs: Any) -> Any:
            started = perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += perf_counter() - started

        return clocked

    for attribute, phase in phases.items():
        setattr(module, attribute, timed(phase, originals[attribute]))
    try:
        yield spent
    finally:
        for attribute, original in originals.items():
            setattr(module, attribute, original)


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a new interpreter: its peak RSS is its own, no cache carries over."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def measured(
    repeat: int, function: Callable[..., tuple[Run, Info]], *args: Any
) -> tuple[list[Run], Info]:
    runs: list[Run] = []
    info: Info = {}
    for _ in range(repeat):
        run, info = in_fresh_process(function, *args)
        runs.append(run)
        print(f"  ... {function.__name__}: {run.get('total', sum(run.values())):.1f} s", flush=True)
    return runs, info


def print_table(title: str, runs: list[Run], info: Info) -> None:
    print(f"\n{title}")
    for key, value in info.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value)) or "none"
        print(f"  {key}: {value:,}" if type(value) is int else f"  {key}: {value}")
    print(f"  {'':<26}{'median':>11}{'min':>11}{'max':>11}   ({len(runs)} runs)")
    for phase in runs[0]:
        values = [run[phase] for run in runs]
        unit = " MB" if phase == "peak RSS" else " s "
        spread = (statistics.median(values), min(values), max(values))
        print(f"  {phase:<26}" + "".join(f"{value:>8.1f}{unit}" for value in spread))
    print(flush=True)
