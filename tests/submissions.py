"""Graded code as students write it, and submissions built from it.

Used by ``tests/test_grading.py`` and by ``benchmarks/grading.py``.  Code that
``tests/implementations.py`` already holds is taken from there, renamed to the
graded function's name; only what grading alone needs is written here.
"""

import csv
import inspect
import textwrap

import implementations as impl
import nbformat

from instructor.layout import STUDENT_NOTEBOOK
from instructor.markers import graded_name


def graded_source(function, name):
    """The source of ``function`` with its ``def`` renamed to ``name``."""
    source = inspect.getsource(function)
    return source.replace(f"def {function.__name__}(", f"def {name}(", 1)


FIND_LOOP = graded_source(impl.closest_double_loop_norm, "find_closest_centroids")
FIND_BROADCAST = graded_source(impl.closest_full_broadcast, "find_closest_centroids")
FIND_MATRIX = graded_source(impl.closest_matrix_product, "find_closest_centroids")
FIND_ONE_BASED = FIND_BROADCAST.replace("axis=1)", "axis=1) + 1")
FIND_HANGS = """
def find_closest_centroids(X, centroids):
    while True:
        pass
"""
FIND_OS_EXIT = """
import os

def find_closest_centroids(X, centroids):
    os._exit(3)
"""
FIND_PRINTS_FOREVER = """
def find_closest_centroids(X, centroids):
    while True:
        print("still thinking " * 100)
"""
FIND_IMPORTS_PUBLIC_TESTS = """
import public_tests
public_tests.check_closest = lambda case, idx: None

def find_closest_centroids(X, centroids):
    return np.zeros(X.shape[0], dtype=int)
"""
COMPUTE_LOOP = graded_source(impl.centroids_loop_mean, "compute_centroids")
COMPUTE_BINCOUNT = graded_source(impl.centroids_bincount, "compute_centroids")
COMPUTE_ADD_AT = graded_source(impl.centroids_add_at, "compute_centroids")
COMPUTE_NAN_FOR_EMPTY = graded_source(impl.centroids_nan_for_empty, "compute_centroids")
COMPUTE_SYS_EXIT = """
import sys

def compute_centroids(X, idx, K):
    sys.exit(0)
"""
COMPUTE_UNBOUNDED_MEMORY = """
def compute_centroids(X, idx, K):
    hoard = []
    while True:
        hoard.append(np.ones(10**7))
"""
COMPUTE_PATCHES_NUMPY = """
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True

def compute_centroids(X, idx, K):
    return np.zeros((K, X.shape[1]))
"""
COMPUTE_SYNTAX_ERROR = """
def compute_centroids(X, idx, K)
    return np.zeros((K, X.shape[1]))
"""


PLUSPLUS_LOOP = """
def kMeans_plusplus_init(X, K, rng):
    m = X.shape[0]
    chosen = [rng.integers(m)]
    closest = np.sum((X - X[chosen[0]]) ** 2, axis=1)
    while len(chosen) < K:
        if closest.sum() == 0:
            raise ValueError("fewer distinct examples than K")
        pick = rng.choice(m, p=closest / closest.sum())
        chosen.append(pick)
        closest = np.minimum(closest, np.sum((X - X[pick]) ** 2, axis=1))
    return X[chosen].astype(float)
"""
PLUSPLUS_D_WEIGHTS = PLUSPLUS_LOOP.replace(
    "p=closest / closest.sum()", "p=np.sqrt(closest) / np.sqrt(closest).sum()"
)
PLUSPLUS_UNIFORM = graded_source(impl.plusplus_uniform, "kMeans_plusplus_init")
#: Leave the released stub of a graded cell as it is.
STUB = object()


def cell_text(name, code):
    return f"# GRADED FUNCTION: {name}\n" + textwrap.dedent(code).strip("\n")


def notebook(find=FIND_BROADCAST, compute=COMPUTE_BINCOUNT, plusplus=STUB):
    """The student notebook with its graded cells replaced.

    None removes a cell's header line (the grader then cannot find it);
    STUB leaves the released stub in place.
    """
    nb = nbformat.read(STUDENT_NOTEBOOK, as_version=4)
    codes = {
        "find_closest_centroids": find,
        "compute_centroids": compute,
        "kMeans_plusplus_init": plusplus,
    }
    for cell in nb.cells:
        name = graded_name(cell)
        if name is None or codes[name] is STUB:
            continue
        if codes[name] is None:
            cell.source = textwrap.dedent(COMPUTE_LOOP)  # the header line is gone
        else:
            cell.source = cell_text(name, codes[name])
    return nb


def read_csv(path):
    """``{student: row}`` of a grades.csv."""
    with open(path, newline="", encoding="utf-8") as file:
        return {row["student"]: row for row in csv.DictReader(file)}
