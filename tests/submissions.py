"""Graded code as students write it, and submissions built from it.

Used by ``tests/test_grading.py`` and by ``benchmarks/grading.py``.
"""

import textwrap

import nbformat

from instructor.layout import STUDENT_NOTEBOOK
from instructor.markers import graded_name

FIND_LOOP = """
def find_closest_centroids(X, centroids):
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distances = [np.linalg.norm(X[i] - c) for c in centroids]
        idx[i] = np.argmin(distances)
    return idx
"""
FIND_BROADCAST = """
def find_closest_centroids(X, centroids):
    d = X[:, None, :] - centroids[None, :, :]
    return np.argmin((d**2).sum(axis=2), axis=1)
"""
FIND_MATRIX = """
def find_closest_centroids(X, centroids):
    squared = (X**2).sum(1)[:, None] - 2 * X @ centroids.T + (centroids**2).sum(1)
    return np.argmin(squared, axis=1)
"""
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
COMPUTE_LOOP = """
def compute_centroids(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids
"""
COMPUTE_BINCOUNT = """
def compute_centroids(X, idx, K):
    counts = np.bincount(idx, minlength=K)
    sums = np.stack([np.bincount(idx, X[:, j], K) for j in range(X.shape[1])], 1)
    centroids = np.zeros((K, X.shape[1]))
    centroids[counts > 0] = sums[counts > 0] / counts[counts > 0, None]
    return centroids
"""
COMPUTE_ADD_AT = """
def compute_centroids(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.bincount(idx, minlength=K)[:, None]
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
"""
COMPUTE_NAN_FOR_EMPTY = """
def compute_centroids(X, idx, K):
    return np.array([X[idx == k].mean(axis=0) for k in range(K)])
"""
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
PLUSPLUS_UNIFORM = """
def kMeans_plusplus_init(X, K, rng):
    return X[rng.choice(X.shape[0], size=K, replace=False)].astype(float)
"""
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
