"""Shared set-up: a non-interactive matplotlib, and the reference solutions."""

import matplotlib
import matplotlib.pyplot as plt
import pytest

from instructor.solutions import load_reference

# Only this process: kernels started by nbval and nbclient keep the inline backend.
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def reference():
    """The reference solutions, run from the source notebook's graded cells."""
    return load_reference()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
