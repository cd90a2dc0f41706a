"""Shared set-up of the benchmarks: the repository on sys.path, fresh-process pairs.

Every ratio a benchmark reports comes from :func:`interleaved`: each side runs
in a fresh process, the sides take turns (A B A B ...), and each figure is the
median of its runs with their minimum and maximum, so a burst of load on a
shared machine moves one run, not the ratio.
"""

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from instructor.course.solutions import load_reference  # noqa: E402

#: Fresh-process pairs per comparison, unless a benchmark is told otherwise.
PAIRS = 5


def reference_steps():
    """The reference solutions of the source notebook, by name."""
    return load_reference()


def peak_memory_mb():
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(script, *args):
    """Run ``python script args...``; return the JSON its last line prints.

    The result also holds ``process_seconds``, the wall time of the whole
    process (interpreter start and imports included).
    """
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def interleaved(sides, rounds=PAIRS):
    """Run every side once per round, in turn, each in a fresh process.

    Parameters
    ----------
    sides : dict
        ``{name: run}`` where ``run(round_number)`` returns a dict of results
        (typically through :func:`in_fresh_process`).
    rounds : int

    Returns
    -------
    dict
        ``{name: [result of round 0, result of round 1, ...]}``.
    """
    results = {name: [] for name in sides}
    for number in range(rounds):
        for name, run in sides.items():
            results[name].append(run(number))
    return results


def spread(values):
    """The median, minimum and maximum of ``values``."""
    values = list(values)
    return statistics.median(values), min(values), max(values)


def show(values, unit="s", digits=2):
    """``median (min to max)`` as text, e.g. ``1.52 s (1.40 to 1.90)``."""
    median, low, high = spread(values)
    return f"{median:.{digits}f} {unit} ({low:.{digits}f} to {high:.{digits}f})"


def ratios(results, numerator, denominator, key="seconds"):
    """The per-round ratios ``numerator / denominator`` of ``key``."""
    return [
        a[key] / b[key]
        for a, b in zip(results[numerator], results[denominator], strict=True)
    ]


def timed(function, *args, **kwargs):
    """Call ``function``; return (seconds, result)."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result
