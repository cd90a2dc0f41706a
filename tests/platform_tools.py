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
