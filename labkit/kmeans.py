"""The K-means driver: it runs the student's two functions, never its own.

Two things keep it fast and lean on big photos without changing the result:

* the assignment step is handed to the student's function in chunks of
  :data:`CHUNK_ROWS` rows, so memory stays bounded whatever the image size;
* a photo has far fewer distinct colours than pixels, so for a large
  (m, 3) array of 8-bit colours, K-means runs on the distinct colours, each
  weighted by how many pixels have it.  Every pixel of one colour has the
  same nearest centroid, and a weighted mean of the distinct colours is the
  mean of the pixels, so the result is the same.

The weights are an explicit argument of :func:`lloyd`; how a weighted mean is
asked of the student's unweighted ``compute_centroids`` is told in
:meth:`StudentSteps.update`.  Nothing here draws: ``utils.run_kMeans`` adds
the plot.
"""

from dataclasses import dataclass

import numpy as np

from .answers import NotWrittenError
from .checks import check_centroids, check_idx, check_points
from .colours import distinct_colours, eight_bit_levels

#: Rows handed to ``find_closest_centroids`` at once.  Small enough that a
#: matrix product over a chunk stays on one BLAS thread: on a busy 2-core
#: machine, OpenBLAS threads waiting for each other made 65,536-row chunks
#: 5 times slower per row (benchmarks/README.md).
CHUNK_ROWS = 1 << 12
#: Rows of the residuals :func:`distortion` holds at once.
COST_ROWS = 1 << 16
#: From this many rows on, 8-bit colours are reduced to their distinct values.
DISTINCT_COLOURS_FROM = 1 << 18


def distortion(X, idx, centroids, weights=None):
    """Return the K-means cost: the mean squared distance to the assigned centroid.

    Parameters
    ----------
    X : ndarray of shape (m, n)
    idx : ndarray of shape (m,), int
        ``idx[i]`` is the centroid example ``i`` is assigned to.
    centroids : ndarray of shape (K, n)
    weights : ndarray of shape (m,), optional
        How many times each example counts; 1 each if omitted.

    Returns
    -------
    float
        :math:`J = \\frac{1}{\\sum_i w_i} \\sum_i w_i
        \\lVert x^{(i)} - \\mu_{c^{(i)}} \\rVert^2`.
    """
    X = check_points(X)
    centroids = check_centroids(centroids, X.shape[1])
    idx = check_idx(idx, X.shape[0], centroids.shape[0])
    total, count = 0.0, 0.0
    for start in range(0, X.shape[0], COST_ROWS):
        rows = slice(start, start + COST_ROWS)
        residuals = X[rows] - centroids[idx[rows]]
        squared = np.einsum("ij,ij->i", residuals, residuals)
        if weights is None:
            total += float(squared.sum())
            count += squared.size
        else:
            total += float(squared @ weights[rows])
            count += float(weights[rows].sum())
    return total / count


def call_student(function, *args, name=None):
    """``function(*args)``, with the student's unwritten stub shown as one sentence.

    A stub raises :class:`NotImplementedError`; re-raised as
    :class:`labkit.answers.NotWrittenError`, a notebook shows its sentence
    alone instead of a traceback through the lab's helpers.  A function that
    tries to change a read-only argument gets a sentence saying so.
    """
    try:
        return function(*args)
    except NotImplementedError as error:
        raise NotWrittenError(str(error)) from None
    except ValueError as error:
        if name is not None and "read-only" in str(error):
            raise ValueError(
                f"{name} tried to change an array it was given in place; "
                "work on a copy (for example X = X.copy()) or build a new array"
            ) from error
        raise


def read_only(array):
    """A read-only view of ``array``: the student's functions may not change it."""
    view = array.view()
    view.flags.writeable = False
    return view


class StudentSteps:
    """The student's two functions, called with checks, in chunks, with weights.

    Every message speaks of the arrays the student's function was handed:
    its own X (or chunk of X), its own K and n.
    """

    def __init__(self, find_closest_centroids, compute_centroids, K):
        self.find = find_closest_centroids
        self.compute = compute_centroids
        self.K = K

    @staticmethod
    def _call(name, function, *args):
        result = call_student(function, *args, name=name)
        if result is None:
            raise ValueError(f"{name} returned None: is its return line missing?")
        return result

    def assign(self, X, centroids):
        """Every row's closest centroid, asked for CHUNK_ROWS rows at a time."""
        name = "find_closest_centroids' result"
        if X.shape[0] <= CHUNK_ROWS:
            found = self._call("find_closest_centroids", self.find, X, centroids.copy())
            return check_idx(found, X.shape[0], self.K, name)
        idx = np.empty(X.shape[0], dtype=np.intp)
        for start in range(0, X.shape[0], CHUNK_ROWS):
            chunk = X[start : start + CHUNK_ROWS]
            found = self._call(
                "find_closest_centroids", self.find, chunk, centroids.copy()
            )
            # Shape and type chunk by chunk; the range of values once, below.
            check_idx(
                found,
                chunk.shape[0],
                None,
                f"{name} for a chunk of {chunk.shape[0]:,} rows of X (a large X "
                "is handed over in chunks)",
            )
            idx[start : start + CHUNK_ROWS] = found
        return check_idx(idx, X.shape[0], self.K, name)

    def means(self, X, idx):
        """``compute_centroids(X, idx, K)``, checked to be a finite (K, n) array."""
        K, n = self.K, X.shape[1]
        moved = np.array(
            self._call("compute_centroids", self.compute, X, idx.copy(), K),
            dtype=float,
        )
        if moved.shape != (K, n):
            raise ValueError(
                f"compute_centroids' result must have shape (K, n) = ({K}, {n}) "
                f"for K = {K} centroids of n = {n} features, got shape {moved.shape}"
            )
        return moved

    def update(self, X, idx, sizes, weights=None, weighted_X=None):
        """The (weighted) mean of each cluster.

        Rows of empty clusters mean nothing: the caller keeps those centroids.
        ``sizes`` is ``np.bincount(idx, minlength=K)``.

        With weights, the student's function is handed ``weighted_X``, the
        rows ``w_i x_i`` (same shape as X), and returns per cluster
        ``sum(w x) / size``; the driver divides by ``sum(w) / size``, the
        cluster's mean weight, to get ``sum(w x) / sum(w)``, the weighted mean.
        """
        if weights is None:
            return self.means(X, idx)
        moved = self.means(weighted_X, idx)
        mean_weight = np.bincount(idx, weights=weights, minlength=self.K)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_weight /= sizes
            moved /= mean_weight[:, np.newaxis]
        return moved


@dataclass
class LloydResult:
    """What :func:`lloyd` found; ``cost()`` measures the final cost when asked."""

    centroids: np.ndarray
    idx: np.ndarray
    history: list
    iterations: int
    X: np.ndarray
    weights: np.ndarray | None

    def cost(self):
        """The final K-means cost (:func:`distortion`)."""
        return distortion(self.X, self.idx, self.centroids, self.weights)


def lloyd(
    X,
    centroids,
    max_iters,
    steps,
    weights=None,
    verbose=True,
    until_stable=False,
    label="K-means iteration",
    cost_format=".4f",
):
    """Alternate assignment and update up to ``max_iters`` times.

    Parameters
    ----------
    X : ndarray of shape (m, n), read-only
    centroids : ndarray of shape (K, n)
    max_iters : int
    steps : StudentSteps
    weights : ndarray of shape (m,), optional
        How many times each row counts; 1 each if omitted.
    verbose : bool
        Print one line per iteration.
    until_stable : bool
        Stop early once an assignment repeats the one before (from then on
        every iteration would give the same centroids again).
    label : str
        The start of each printed line.
    cost_format : str
        How the printed cost is formatted.

    Returns
    -------
    LloydResult
        The final centroids, each row's closest final centroid, the centroids
        before the first iteration and after each one, and the number of
        iterations run.
    """
    weighted_X = None
    if weights is not None:
        weighted_X = read_only(np.asfortranarray(X * weights[:, np.newaxis]))
    history = [centroids]
    idx = steps.assign(X, centroids)
    iterations = 0
    for iteration in range(1, max_iters + 1):
        sizes = np.bincount(idx, minlength=len(centroids))
        moved = steps.update(X, idx, sizes, weights, weighted_X)
        empty = sizes == 0
        moved[empty] = centroids[empty]
        if not np.all(np.isfinite(moved)):
            raise ValueError("compute_centroids returned NaN or infinity")
        centroids = moved
        history.append(centroids)
        iterations = iteration
        if verbose:
            note = (
                f" ({empty.sum()} empty cluster(s) kept in place)"
                if empty.any()
                else ""
            )
            # The cost of the assignment that moved the centroids, and the moved ones.
            cost = distortion(X, idx, centroids, weights)
            print(f"{label} {iteration}/{max_iters}: cost {cost:{cost_format}}{note}")
        previous, idx = idx, steps.assign(X, centroids)
        if until_stable and np.array_equal(idx, previous):
            break
    return LloydResult(centroids, idx, history, iterations, X, weights)


def kmeans(
    X,
    initial_centroids,
    max_iters=10,
    *,
    find_closest_centroids,
    compute_centroids,
    verbose=True,
):
    """Run K-means with the student's two steps: ``utils.run_kMeans`` without a plot.

    The parameters are those of ``utils.run_kMeans`` (see there).

    Returns
    -------
    centroids : ndarray of shape (K, n)
    idx : ndarray of shape (m,), int
    history : ndarray of shape (max_iters + 1, K, n)
        The centroids before the first iteration and after each one.

    Notes
    -----
    For at least :data:`DISTINCT_COLOURS_FROM` rows of 8-bit colours (n = 3,
    values k / 255), the two functions see the distinct colours, weighted by
    their number of pixels (see :meth:`StudentSteps.update`).
    """
    X = check_points(X)
    m, n = X.shape
    centroids = check_centroids(initial_centroids, n, "initial_centroids").copy()
    K = centroids.shape[0]
    if (
        isinstance(max_iters, bool)
        or not isinstance(max_iters, (int, np.integer))
        or max_iters < 0
    ):
        raise ValueError(f"max_iters must be a whole number >= 0, got {max_iters!r}")
    steps = StudentSteps(find_closest_centroids, compute_centroids, K)

    levels = eight_bit_levels(X) if m >= DISTINCT_COLOURS_FROM else None
    if levels is None:
        result = lloyd(read_only(X), centroids, max_iters, steps, None, verbose)
        idx = result.idx
    else:
        colours, counts, inverse = distinct_colours(levels)
        del levels
        if verbose:
            print(
                f"{m:,} pixels, {len(colours):,} distinct colours: K-means uses those"
            )
        # X's own values (k / 255 rounded to X's precision), held in float64
        # so that no step converts them again; column by column in memory.
        values = (colours / 255.0).astype(X.dtype)
        points = read_only(np.asfortranarray(values, dtype=np.float64))
        result = lloyd(
            points, centroids, max_iters, steps, counts.astype(np.float64), verbose
        )
        idx = result.idx[inverse]
    return result.centroids, idx, np.stack(result.history)
