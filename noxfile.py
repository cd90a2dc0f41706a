"""The lab on the oldest and the newest stacks it supports.

``nox -s oldest newest`` (``.ci/run`` does this) makes a fresh virtual
environment for each and runs the unit tests and the student notebook with
the solutions planted, every test but those marked ``pinned``, which need the
exact versions of ``requirements-lock.txt``, those marked ``browser``
(JupyterLab in Chromium) and those marked ``platforms`` (nbgrader and otter
on a planted class), which CI's pinned run covers.

* ``oldest``: Python 3.10 with every package of ``requirements.txt`` at its
  floor, and pyparsing from before 3.3 (whose deprecation warnings
  matplotlib 3.8 predates);
* ``newest``: Python 3.13 with the newest release of every package.

``nox -s fast`` runs the loop while editing in the current environment (no
kernel, worker, browser, platform or slow test); ``nox -s colab`` a look-alike
of Colab's stack. Neither is part of CI's run.
"""

import os
import sys
import tempfile
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from instructor.course.floors import pinned_to_floors  # noqa: E402

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["oldest", "newest"]

#: Every test but the pinned, browser and platforms ones and those below; nbval's
#: options live in pyproject.toml's addopts, which this replaces, since nbval
#: runs only on the pinned stack.
#:
#: Grader tests left to the pinned run: the hostile classes at every isolation
#: level, the submissions folder, the LMS files, the class report and the
#: bundle-paste test exercise the grader's own code, which the stacks change
#: only through what test_grading, test_gradescope (Gradescope's Python 3.10 in
#: its container), test_graded_cells and test_corpus run on each of them.
#:
#: The notebook opened alone (test_notebook_alone, a kernel per test, about a
#: minute): what it adds to test_student_notebook is the setup cell's fetching
#: and unpacking of the bundle from a web server, standard library code
#: (urllib, zipfile, hashlib) that no package version changes; the notebook's
#: Run All on each stack, setup cell and floor check included, is
#: test_student_notebook's.
PINNED_RUN_ONLY = (
    "test_isolation.py",
    "test_lms.py",
    "test_submission_folder.py",
    "test_report.py",
    "test_no_answer_in_bundle.py",
    "test_notebook_alone.py",
)
#: ``LAB_TESTS=worker`` runs only the tests marked ``worker`` (they start the
#: grader's worker), ``LAB_TESTS=other`` every other one: ``.ci/run`` runs the
#: two parts at once, so that no two test runs grade at the same time.
PARTS = {"": "", "worker": " and worker", "other": " and not worker"}
PART = os.environ.get("LAB_TESTS", "")
if PART not in PARTS:
    raise SystemExit(f"LAB_TESTS must be worker or other, not {PART!r}")
PYTEST = (
    "pytest",
    "-o",
    "addopts=-p no:cacheprovider --strict-markers",
    "-m",
    "not pinned and not browser and not platforms" + PARTS[PART],
    *(f"--ignore=tests/{name}" for name in PINNED_RUN_ONLY),
    "tests",
)
#: nox points TMPDIR into .nox/ inside the repository, but the test of the
#: notebook opened alone needs an empty folder with no lab above it.
TEST_ENV = {"TMPDIR": tempfile.gettempdir()}
#: Prints the stack a session tests, for the CI log.
VERSIONS = (
    "import sys, numpy, scipy, matplotlib, PIL; "
    "print('Python', sys.version.split()[0], '| numpy', numpy.__version__, "
    "'| scipy', scipy.__version__, '| matplotlib', matplotlib.__version__, "
    "'| Pillow', PIL.__version__)"
)


@nox.session(python="3.10")
def oldest(session):
    """Python 3.10, every lab package at the floor requirements.txt gives."""
    floors = Path(session.create_tmp()) / "floors.txt"
    floors.write_text(pinned_to_floors() + "pyparsing<3.3\n", encoding="utf-8")
    session.install("--no-compile", "-r", "requirements-dev.txt", "-c", str(floors))
    session.run("python", "-c", VERSIONS, silent=False)
    session.run(*PYTEST, *session.posargs, env=TEST_ENV)


@nox.session(python="3.13")
def newest(session):
    """Python 3.13, the newest release of every package."""
    session.install("--no-compile", "--upgrade", "-r", "requirements-dev.txt")
    session.run("python", "-c", VERSIONS, silent=False)
    session.run(*PYTEST, *session.posargs, env=TEST_ENV)


#: Google Colab's preinstalled versions (backend-info, 2026-08), which a
#: student there runs the lab on: the notebook must not need anything newer.
#: Colab's jupyter_client (7.4.9) is left out: it is the harness's side of the
#: kernel protocol here, and nbclient needs a newer one on Python 3.13.
COLAB = (
    "numpy==2.1.3",
    "scipy==1.16.3",
    "matplotlib==3.10.0",
    "pillow==11.3.0",
    "ipykernel==6.17.1",
    "ipython==7.34.0",
)


@nox.session(python="3.13")
def colab(session):
    """A look-alike of Colab's stack (not Colab itself); not part of CI's run."""
    session.install(*COLAB, "pyparsing<3.3", "pytest", "nbformat", "nbclient", "tqdm")
    session.install("mistune")
    session.run("python", "-c", VERSIONS, silent=False)
    session.run(*PYTEST, *session.posargs, env=TEST_ENV)


#: The loop while editing: every test that starts no kernel, no worker, no
#: browser and no platform, nor is slow for another reason.
FAST = "not slow and not kernel and not worker and not browser and not platforms"


@nox.session(venv_backend="none")
def fast(session):
    """The fast loop, in the environment nox runs from; not part of CI's run."""
    session.run(
        "pytest",
        "-q",
        "-o",
        "addopts=-p no:cacheprovider --strict-markers",
        "-m",
        FAST,
        "tests",
        *session.posargs,
    )
