"""Shared set-up: a non-interactive matplotlib, the reference solutions, and a
guard that fails the session if any test wrote into the repository."""

import matplotlib
import matplotlib.pyplot as plt
import pytest
from repo_guard import GUARDED, changes, repo_state

from instructor.course.solutions import load_reference
from instructor.layout import REPO_ROOT

# Only this process: kernels started by nbval and nbclient keep the inline backend.
matplotlib.use("Agg")


@pytest.fixture(scope="session", autouse=True)
def _repository_left_alone():
    """Fail the session if a test changed the repository (tests use tmp_path).

    The instructor's ``release/`` must survive ``pytest`` byte for byte: a
    release made with ``--bundle-url`` is what students' notebooks check.
    """
    before = repo_state(REPO_ROOT)
    yield
    changed = changes(before, repo_state(REPO_ROOT))
    if changed:
        pytest.fail(
            f"the tests changed the repository ({', '.join(changed[:8])}"
            f"{', ...' if len(changed) > 8 else ''}): a test must write only into "
            f"tmp_path, never into {'/, '.join(GUARDED)}/ or tracked files "
            "(or a file was edited while the tests ran)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def reference():
    """The reference solutions, run from the source notebook's graded cells."""
    return load_reference()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
