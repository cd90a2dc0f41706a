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


#: Module fixtures that start the grader's worker (a class graded once) or a
#: Jupyter kernel (a notebook run once): a test that uses one is marked with
#: it, as is every test that starts one itself (its decorator or its module's
#: ``pytestmark``).
FIXTURE_MARKERS = {
    "graded": "worker",
    "graded_class": "worker",
    "lms_class": "worker",
    "canvas_download": "worker",
    "student_run": "kernel",
    "planted_run": "kernel",
    "required_only_run": "kernel",
    "executed": "kernel",
}


def pytest_collection_modifyitems(items):
    """Mark by fixture (above), and mark nbval's items, the cells of the source
    notebook (testpaths puts it beside tests/): they start a kernel, and their
    stored outputs come back to the byte only with the versions of
    requirements-lock.txt."""
    for item in items:
        for fixture in FIXTURE_MARKERS.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(FIXTURE_MARKERS[fixture])
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)
            item.add_marker(pytest.mark.pinned)
