"""The grader's own code: the repository files a grading run executes.

One answer for two questions: which files decide a grade (the cache's
fingerprint, :func:`instructor.grading.grader.grader_fingerprint`) and which
files the Gradescope autograder must carry (:mod:`instructor.platforms.gradescope`,
whose entry module imports the grader, so its zip holds every fingerprinted
file; ``tests/test_gradescope.py`` checks it).
"""

import modulefinder
import sys
import tempfile
from pathlib import Path

from instructor.layout import REPO_ROOT

#: The worker is started as a file (``python -I worker.py``), never imported
#: by a run: no import leads to it, so it is named here.
WORKER = Path(__file__).resolve().parent / "worker.py"


def code_files(*modules: str) -> tuple[list[str], set[str]]:
    """The repository files that importing ``modules`` runs, and the worker.

    Found by following the imports of ``modules`` inside the repository
    (``modulefinder``, which reads the code without running it);
    third-party and standard-library modules are not followed.

    Parameters
    ----------
    *modules : str
        Dotted names of the entry modules (``"instructor.grading.grader"``).

    Returns
    -------
    files : list of str
        Paths relative to the repository root, sorted.
    packages : set of str
        Top-level names imported from outside the repository (the standard
        library left out).
    """
    finder = modulefinder.ModuleFinder(path=[str(REPO_ROOT)])
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "entry.py"
        script.write_text("".join(f"import {m}\n" for m in modules), encoding="utf-8")
        finder.run_script(str(script))
    files = {WORKER.relative_to(REPO_ROOT).as_posix()}
    for module in finder.modules.values():
        path = Path(getattr(module, "__file__", None) or "").resolve()
        if path.is_file() and path.is_relative_to(REPO_ROOT):
            files.add(path.relative_to(REPO_ROOT).as_posix())
    # ``from labkit.answers import Case`` reads to modulefinder as a missing
    # module labkit.answers.Case: a name of a package it found is no module.
    outside = {
        name.split(".")[0]
        for name in finder.badmodules
        if name.rpartition(".")[0] not in finder.modules
    }
    return sorted(files), outside - set(sys.stdlib_module_names)
