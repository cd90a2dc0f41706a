"""One environment for students and grader: what a graded cell may use.

The contract (``labkit/environment.py``): NumPy as ``np``, Python's built-ins
and standard library, and what the graded cell itself defines.  The public
tests flag a graded function that reaches beyond it; the grader's worker
refuses the same.  Here the same code goes through both: the public test in a
real IPython shell (where each cell has its own ``co_filename`` and its source
in ``linecache``) and the grader on a planted submission; their verdicts and
explanations must agree.
"""

import contextlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from rendered import markdown_text
from submissions import cell_text, notebook, read_csv

import public_tests
from instructor.course import exercises
from instructor.grading.grader import grade_all
from instructor.grading.sandbox import WORKER, Limits
from instructor.layout import SOURCE_NOTEBOOK
from instructor.markers import graded_name
from instructor.platforms.gradescope import autograder_files
from labkit import environment
from labkit.environment import ALONE, reach_problem, refusal

REPO = Path(__file__).resolve().parents[1]
#: What the student notebook's setup cell brings into the kernel.
SETUP = "import numpy as np\nimport utils\nimport public_tests\n"
LIMITS = Limits(timeout=8.0, memory_mb=512, output_mb=4)


def said(text):
    """Text as a reader compares it: one line, code quotes dropped."""
    return " ".join(text.replace("`", "").split())


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """A fresh IPython shell with no history file, run as a notebook runs cells."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)

    def run(*cells):
        for source in cells:
            result = shell.run_cell(source, silent=True)
            assert result.success, (source, result.error_in_exec)
        return shell.user_ns

    try:
        yield run
    finally:
        InteractiveShell.clear_instance()


def public_verdict(exercise, function):
    """(passed, message) of the public test of ``exercise`` on ``function``."""
    runner = getattr(public_tests, f"{exercise}_test")
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            runner(function)
    except AssertionError as failure:
        return False, str(failure)
    return True, out.getvalue()


# --------------------------------------------------------------------------
# The contract itself
# --------------------------------------------------------------------------


def test_numpy_and_the_standard_library_are_allowed():
    for module in ("numpy", "numpy.linalg", "math", "itertools", "functools"):
        assert environment.is_allowed(module), module
    for module in ("collections", "heapq", "statistics", "typing", "__future__"):
        assert environment.is_allowed(module), module


def test_other_packages_and_every_module_of_the_lab_are_not():
    lab = {p.stem for p in REPO.glob("*.py")} | {"labkit", "instructor"}
    assert {"utils", "public_tests"} <= lab
    for module in sorted(lab) + ["scipy", "scipy.spatial", "sklearn", "pandas"]:
        assert not environment.is_allowed(module), module


def test_the_refusal_names_the_package_in_the_students_terms():
    assert refusal("scipy.spatial.distance") == (
        "graded cells may use only NumPy and Python's standard library; "
        "`scipy` is not available when your cell is graded"
    )


def test_the_notebook_states_the_contract_once_before_the_first_exercise():
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    first = next(i for i, cell in enumerate(nb.cells) if graded_name(cell))
    stating = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and "What a graded cell may use" in cell.source
    ]
    assert len(stating) == 1 and stating[0] < first
    text = said(nb.cells[stating[0]].source)
    for part in ("NumPy", "standard library", "math", "itertools", "SciPy"):
        assert part in text, part
    for part in ("utils", "labkit", "public_tests", "another cell defines"):
        assert part in text, part


# --------------------------------------------------------------------------
# Right answers in many styles are not flagged
# --------------------------------------------------------------------------

RIGHT_STYLES = {
    "future-annotations-and-typing": (
        "find_closest_centroids",
        """
        from __future__ import annotations
        from typing import Sequence

        def find_closest_centroids(X: np.ndarray, centroids: Sequence) -> np.ndarray:
            d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
            return np.argmin(d, axis=1)
        """,
    ),
    "math-imported-inside-the-body": (
        "find_closest_centroids",
        """
        def find_closest_centroids(X, centroids):
            import math

            return np.array(
                [min(range(len(centroids)), key=lambda k: math.dist(x, centroids[k]))
                 for x in X]
            )
        """,
    ),
    "heapq-and-a-same-cell-helper": (
        "find_closest_centroids",
        """
        import heapq

        def squared(a, b):
            return float(np.sum((a - b) ** 2))

        def find_closest_centroids(X, centroids):
            K = len(centroids)
            pick = [heapq.nsmallest(1, range(K), key=lambda k: squared(x, centroids[k]))
                    for x in X]
            return np.array([p[0] for p in pick], dtype=int)
        """,
    ),
    "a-class-and-numpy-submodule-in-the-cell": (
        "find_closest_centroids",
        """
        from numpy.linalg import norm

        class Nearest:
            def __init__(self, centroids):
                self.centroids = centroids

            def __call__(self, x):
                return int(np.argmin(norm(self.centroids - x, axis=1)))

        def find_closest_centroids(X, centroids):
            pick = Nearest(centroids)
            return np.array([pick(x) for x in X], dtype=int)
        """,
    ),
    "functools-operator-collections": (
        "compute_centroids",
        """
        import collections
        import functools
        import operator

        def compute_centroids(X, idx, K):
            members = collections.defaultdict(list)
            for x, k in zip(X, idx):
                members[int(k)].append(x.astype(float))
            centroids = np.zeros((K, X.shape[1]))
            for k, rows in members.items():
                centroids[k] = functools.reduce(operator.add, rows) / len(rows)
            return centroids
        """,
    ),
    "statistics-itertools-nested-def": (
        "compute_centroids",
        """
        import itertools
        import statistics

        def compute_centroids(X, idx, K):
            def mean_of(rows):
                return [statistics.fmean(column) for column in zip(*rows)]

            centroids = np.zeros((K, X.shape[1]))
            order = sorted(range(len(idx)), key=lambda i: idx[i])
            for k, group in itertools.groupby(order, key=lambda i: idx[i]):
                centroids[k] = mean_of([X[i].tolist() for i in group])
            return centroids
        """,
    ),
}


@pytest.mark.parametrize("style", list(RIGHT_STYLES))
def test_right_answers_in_many_styles_pass_the_public_test(style, kernel):
    exercise, code = RIGHT_STYLES[style]
    namespace = kernel(SETUP, cell_text(exercise, textwrap.dedent(code)))
    assert reach_problem(namespace[exercise]) is None
    passed, said_ = public_verdict(exercise, namespace[exercise])
    assert passed and "public tests passed" in said_, said_


# --------------------------------------------------------------------------
# The public tests and the grader agree on the same code
# --------------------------------------------------------------------------

FIND_CDIST = """
from scipy.spatial.distance import cdist

def find_closest_centroids(X, centroids):
    return np.argmin(cdist(X, centroids, "sqeuclidean"), axis=1)
"""
FIND_SCIPY_IN_THE_BODY = """
def find_closest_centroids(X, centroids):
    from scipy.spatial import distance

    return np.argmin(distance.cdist(X, centroids, "sqeuclidean"), axis=1)
"""
#: Right indices, then a call to a helper of the lab, as a sanity check.
FIND_UTILS = """
import utils

def find_closest_centroids(X, centroids):
    idx = np.argmin(((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2), axis=1)
    utils.distortion(X, idx, centroids)
    return idx
"""
FIND_LABKIT = FIND_UTILS.replace(
    "import utils", "from labkit.kmeans import distortion"
).replace("utils.distortion", "distortion")
HELPER = """
def squared_distances(X, centroids):
    return ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
"""
FIND_WITH_HELPER = """
def find_closest_centroids(X, centroids):
    return np.argmin(squared_distances(X, centroids), axis=1)
"""
FIND_MATH_ITERTOOLS = """
import itertools
import math

def find_closest_centroids(X, centroids):
    m, K = X.shape[0], centroids.shape[0]
    distances = np.zeros((m, K))
    for i, k in itertools.product(range(m), range(K)):
        distances[i, k] = math.dist(X[i], centroids[k])
    return np.argmin(distances, axis=1)
"""
FIND_MATH_UNIMPORTED = "\n".join(FIND_MATH_ITERTOOLS.splitlines()[3:])
FIND_CDIST_UNIMPORTED = "\n".join(FIND_CDIST.splitlines()[2:])

#: case -> (a cell before the graded one, the graded code, the public test and
#: the grader pass it, the explanation both give when they fail it).
AGREEMENT = {
    "cdist_imported_in_the_graded_cell": (None, FIND_CDIST, False, refusal("scipy")),
    "scipy_imported_in_the_body": (
        None,
        FIND_SCIPY_IN_THE_BODY,
        False,
        refusal("scipy"),
    ),
    "a_helper_of_utils": (None, FIND_UTILS, False, refusal("utils")),
    "a_helper_of_labkit": (None, FIND_LABKIT, False, refusal("labkit")),
    "a_helper_from_another_cell": (HELPER, FIND_WITH_HELPER, False, ALONE),
    "math_imported_in_another_cell": (
        "import itertools\nimport math",
        FIND_MATH_UNIMPORTED,
        False,
        ALONE,
    ),
    "math_and_itertools": (None, FIND_MATH_ITERTOOLS, True, None),
    "a_helper_in_the_same_cell": (None, HELPER + FIND_WITH_HELPER, True, None),
    # Both fail it; the public test names the deeper cause (SciPy), while the
    # grader, running the cell alone, only sees a name nothing defined.
    "cdist_imported_in_another_cell": (
        "from scipy.spatial.distance import cdist",
        FIND_CDIST_UNIMPORTED,
        False,
        None,
    ),
}


def planted(before, code):
    """The student notebook with ``code`` as its find cell, ``before`` just above."""
    nb = notebook(find=code)
    if before is not None:
        at = next(
            i
            for i, cell in enumerate(nb.cells)
            if graded_name(cell) == "find_closest_centroids"
        )
        nb.cells.insert(at, nbformat.v4.new_code_cell(before))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every planted submission, graded once by the real grader."""
    root = tmp_path_factory.mktemp("environment")
    folder = root / "submissions"
    folder.mkdir()
    for case, (before, code, *_) in AGREEMENT.items():
        nbformat.write(planted(before, code), folder / f"{case}.ipynb")
    grade_all(
        [folder], root / "out", jobs=2, limits=LIMITS, progress=False, course=exercises
    )
    rows = read_csv(root / "out" / "grades.csv")
    feedback = {
        case: markdown_text(
            (root / "out" / "feedback" / f"{case}.md").read_text(encoding="utf-8")
        )
        for case in AGREEMENT
    }
    return rows, feedback


@pytest.mark.parametrize("case", list(AGREEMENT))
def test_the_public_test_and_the_grader_agree(case, kernel, graded):
    before, code, passes, explanation = AGREEMENT[case]
    cells = [SETUP] + ([before] if before else [])
    namespace = kernel(*cells, cell_text("find_closest_centroids", code))
    passed, message = public_verdict(
        "find_closest_centroids", namespace["find_closest_centroids"]
    )
    rows, feedback = graded
    points = float(rows[case]["find_closest_centroids"])
    assert passed is passes, message
    assert (points == 10) is passes, (points, feedback[case])
    assert rows[case]["compute_centroids"] == "10"
    if not passes:
        assert len(message.splitlines()) == 1, message
        assert "before its cases" in message, message
    if explanation is not None:
        assert said(explanation) in said(message), message
        assert said(explanation) in said(feedback[case]), feedback[case]


def test_the_public_test_names_what_the_function_reaches_for(kernel):
    namespace = kernel(SETUP, HELPER, cell_text("find_closest_centroids", FIND_CDIST))
    _, message = public_verdict(
        "find_closest_centroids", namespace["find_closest_centroids"]
    )
    assert "`cdist`, from `scipy`" in message, message
    namespace = kernel(cell_text("find_closest_centroids", FIND_WITH_HELPER))
    _, message = public_verdict(
        "find_closest_centroids", namespace["find_closest_centroids"]
    )
    assert "`squared_distances`, which another cell defines" in message, message


def test_methods_of_a_class_in_the_same_cell_are_checked_in_turn(kernel):
    code = """
    from scipy.spatial.distance import cdist

    class Nearest:
        def pick(self, X, centroids):
            return np.argmin(cdist(X, centroids), axis=1)

    def find_closest_centroids(X, centroids):
        return Nearest().pick(X, centroids)
    """
    namespace = kernel(cell_text("find_closest_centroids", textwrap.dedent(code)))
    problem = reach_problem(namespace["find_closest_centroids"])
    assert problem is not None and "`cdist`, from `scipy`" in problem


def test_an_import_inside_a_function_binds_nothing_for_the_cell(kernel):
    code = """
    def unused():
        import math

    def find_closest_centroids(X, centroids):
        return np.array([int(math.dist(X[0], c)) for c in centroids])
    """
    cell = cell_text("find_closest_centroids", textwrap.dedent(code))
    namespace = kernel("import math", cell)
    problem = reach_problem(namespace["find_closest_centroids"])
    assert problem is not None and "`math`, which another cell" in problem


def test_a_cell_compiled_alone_sees_its_helper_from_another_file_as_another_cell():
    """Without IPython: two code objects compiled under different file names."""
    namespace = {"np": __import__("numpy"), "__name__": "__main__"}
    exec(compile(HELPER, "<cell 1>", "exec"), namespace)
    exec(compile(FIND_WITH_HELPER, "<cell 2>", "exec"), namespace)
    problem = reach_problem(namespace["find_closest_centroids"])
    assert problem is not None and "`squared_distances`" in problem
    exec(compile(HELPER + FIND_WITH_HELPER, "<cell 3>", "exec"), namespace)
    assert reach_problem(namespace["find_closest_centroids"]) is None


def test_the_gradescope_zip_carries_the_contract_to_the_grader():
    files, _ = autograder_files()
    assert {"labkit/environment.py", "instructor/grading/sandbox.py"} <= set(files)


def test_ipythons_display_is_named_as_missing_when_graded(kernel):
    code = FIND_MATH_ITERTOOLS.replace("    return np", "    display(m)\n    return np")
    namespace = kernel(cell_text("find_closest_centroids", code))
    passed, message = public_verdict(
        "find_closest_centroids", namespace["find_closest_centroids"]
    )
    assert not passed and "`display`" in message and said(ALONE) in said(message)


# --------------------------------------------------------------------------
# The worker's built-ins
# --------------------------------------------------------------------------


def run_in_a_fresh_worker(policy, cell):
    """Run ``cell`` with the worker's graded built-ins, in a fresh ``python -I``."""
    worker = str(WORKER)
    script = textwrap.dedent(
        f"""
        import importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("worker", {worker!r})
        worker = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(worker)
        import numpy as np
        loaded = set(sys.modules)
        namespace = {{"np": np, "__builtins__": worker.graded_builtins({policy!r})}}
        said = {{}}
        for line in {cell!r}.splitlines():
            try:
                exec(line, namespace)
                said[line] = "ok"
            except (ImportError, NameError) as error:
                said[line] = worker.describe(error)
        said["loaded"] = sorted(set(sys.modules) - loaded)
        said["plain dict"] = type(namespace["__builtins__"]) is dict
        print(json.dumps(said))
        """
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.worker
def test_the_worker_refuses_imports_outside_the_contract_with_its_sentence():
    cell = "\n".join(
        [
            "import scipy.spatial",
            "from labkit import answers",
            "__import__('utils')",
            "exec('import public_tests')",
            "import math, itertools",
            "from numpy.linalg import norm",
            "squared_distances",
        ]
    )
    said_ = run_in_a_fresh_worker(environment.import_policy(), cell)
    for line, module in [
        ("import scipy.spatial", "scipy"),
        ("from labkit import answers", "labkit"),
        ("__import__('utils')", "utils"),
        ("exec('import public_tests')", "public_tests"),
    ]:
        assert said_[line] == f"ImportError: {refusal(module)}"
    assert said_["import math, itertools"] == "ok"
    assert said_["from numpy.linalg import norm"] == "ok"
    assert said_["squared_distances"] == (
        f"NameError: name 'squared_distances' is not defined: {ALONE}"
    )
    # An exact dict, not a subclass: CPython then keeps its fast look-ups of
    # built-ins, so a loop runs as fast graded as in the notebook.
    assert said_["plain dict"] is True


@pytest.mark.worker
def test_numpys_own_imports_do_not_go_through_the_graded_cells_policy():
    """numpy.testing imports unittest, which this policy refuses to the cell."""
    policy = {**environment.import_policy(), "allowed": ["numpy"]}
    cell = "np.testing.assert_allclose(np.polynomial.Polynomial([1, 2])(3.0), 7.0)"
    said_ = run_in_a_fresh_worker(policy, cell + "\nimport unittest")
    assert said_[cell] == "ok"
    assert "unittest" in said_["loaded"] and "numpy.testing" in said_["loaded"]
    assert said_["import unittest"] == f"ImportError: {refusal('unittest')}"
