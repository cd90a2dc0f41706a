"""Finding the platforms' own tools (nbgrader, otter, actionlint) for the tests.

They come from requirements-lock.txt.  Where one is missing a test skips,
unless the environment variable ``CI`` is set (``.ci/run`` and GitHub set
it): then it fails, so CI never passes without running it.
"""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from submissions import (
    COMPUTE_BINCOUNT,
    COMPUTE_NAN_FOR_EMPTY,
    COMPUTE_SYNTAX_ERROR,
    FIND_BROADCAST,
    PLUSPLUS_D_WEIGHTS,
    PLUSPLUS_LOOP,
)


def required_in_ci(reason):
    """Skip for ``reason``, or fail when CI is set."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


def module_or_skip(name, install):
    """Make sure the module ``name`` can be imported; skip or fail otherwise."""
    if importlib.util.find_spec(name) is None:
        required_in_ci(f"{name} is not installed ({install})")


def program_or_skip(name, install):
    """The path of the program ``name`` beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        required_in_ci(f"{name} is not installed ({install})")
    return found


#: The class both platforms grade: student -> graded code, and the points the
#: lab's grader gives each function
#: (reasoned in tests/test_grading.py: NaN for empty clusters fails the four
#: 1-point cases with one, 6 points of 10; weights D instead of D^2 lose the
#: 3-point frequency case; a syntax error scores nothing).
PLANTED_CLASS = {
    "xena": (
        {
            "find_closest_centroids": FIND_BROADCAST,
            "compute_centroids": COMPUTE_BINCOUNT,
            "kMeans_plusplus_init": PLUSPLUS_LOOP,
        },
        (10, 10, 10),
    ),
    "dave": (
        {
            "find_closest_centroids": FIND_BROADCAST,
            "compute_centroids": COMPUTE_NAN_FOR_EMPTY,
        },
        (10, 6, 0),
    ),
    "yuri": (
        {
            "find_closest_centroids": FIND_BROADCAST,
            "compute_centroids": COMPUTE_BINCOUNT,
            "kMeans_plusplus_init": PLUSPLUS_D_WEIGHTS,
        },
        (10, 10, 7),
    ),
    "oscar": (
        {
            "find_closest_centroids": FIND_BROADCAST,
            "compute_centroids": COMPUTE_SYNTAX_ERROR,
        },
        (10, 0, 0),
    ),
}
