"""Shared set-up of the benchmarks: the repository on sys.path, test photos, timing."""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import utils  # noqa: E402
from instructor.solutions import load_reference  # noqa: E402

#: A 12-megapixel test photo: the lab's portrait enlarged to 4000 x 3000.
LARGE_SIZE = (3000, 4000)


def reference_steps():
    """The reference solutions of the source notebook, by name."""
    return load_reference()


def large_photo_path(folder):
    """Write the 12-megapixel photo (a Lanczos enlargement) as PNG; return its path."""
    path = Path(folder) / "grace_hopper_12mp.png"
    if not path.exists():
        with Image.open(utils.DATA_DIR / "grace_hopper.jpg") as source:
            source.convert("RGB").resize(LARGE_SIZE, Image.Resampling.LANCZOS).save(
                path
            )
    return path


def best_time(function, repeats):
    """The fastest of ``repeats`` calls, in seconds, and the last result."""
    best, result = np.inf, None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_memory_mb():
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(script, which, path):
    """Run ``python script which path`` and return the JSON its last line prints.

    A fresh process per measured side, so each peak memory is its own.
    """
    output = subprocess.run(
        [sys.executable, script, which, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
