"""The K-means driver: it runs the student's two functions, never its own.

Two things keep it fast and lean on big photos without changing the result:

* the assignment step is handed to the student's function in chunks of
  :data:`CHUNK_ROWS` rows, so memory stays bounded whatever the image size;
* a photo has far fewer distinct colours than pixels, so for a large
  (m, 3) array of 8-bit colours, K-means runs on the distinct colours, each
  weighted by how many pixels have it.  Every pixel of one colour has the
  same nearest centroid, and a weighted mean of the distinct colours is the
  mean of the pixels, so the result is the same.
"""

import numpy as np

from .checks import check_centroids, check_idx, check_points
from .colours import distinct_colours, eight_bit_levels
from .plots import plot_progress_kMeans

#: Rows handed to ``find_closest_centroids`` at once.
CHUNK_ROWS = 1 << 16
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
        :math:`J = \\frac{1}{m} \\sum_i \\lVert x^{(i)} - \\mu_{c^{(i)}} \\rVert^2`.
    """
    X = check_points(X)
    centroids = check_centroids(centroids, X.shape[1])
    idx = check_idx(idx, X.shape[0], centroids.shape[0])
    total, count = 0.0, 0.0
    for start in range(0, X.shape[0], CHUNK_ROWS):
        rows = slice(start, start + CHUNK_ROWS)
        residuals = X[rows] - centroids[idx[rows]]
        squared = np.einsum("ij,ij->i", residuals, residuals)
        if weights is None:
            total += float(squared.sum())
            count += squared.size
        else:
            total += float(squared @ weights[rows])
            count += float(weights[rows].sum())
    return total / count


class _Steps:
    """The student's two functions, called with checks, chunks and weights."""

    def __init__(self, find_closest_centroids, compute_centroids, K):
        self.find = find_closest_centroids
        self.compute = compute_centroids
        self.K = K

    def assign(self, X, centroids):
        """Every row's closest centroid, asked for CHUNK_ROWS rows at a time."""
        parts = []
        for start in range(0, X.shape[0], CHUNK_ROWS):
            chunk = X[start : start + CHUNK_ROWS]
            found = self.find(chunk, centroids.copy())
            parts.append(
                check_idx(
                    found, chunk.shape[0], self.K, "find_closest_centroids' result"
                )
            )
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def _means(self, X, idx):
        K, n = self.K, X.shape[1]
        moved = np.array(self.compute(X, idx.copy(), K), dtype=float)
        if moved.shape != (K, n):
            raise ValueError(
                f"compute_centroids' result must have shape ({K}, {n}), "
                f"got shape {moved.shape}"
            )
        return moved

    def update(self, X, idx, weighted=None):
        """The mean of each cluster (weighted), or NaN where a cluster is empty.

        ``weighted`` is :func:`weighted_columns` of X and the weights: the
        means of its columns are ``mean(w x) / mean(w)`` per cluster, both
        over the same cluster size, so their ratio is the weighted mean and
        ``compute_centroids`` is asked once.
        """
        if weighted is None:
            return self._means(X, idx)
        means = self._means(weighted, idx)
        with np.errstate(invalid="ignore", divide="ignore"):
            return means[:, :-1] / means[:, -1:]


def weighted_columns(X, weights):
    """Return the read-only (m, n + 1) array ``[w * x, w]``."""
    stacked = np.empty((X.shape[0], X.shape[1] + 1))
    np.multiply(X, weights[:, np.newaxis], out=stacked[:, :-1])
    stacked[:, -1] = weights
    stacked.flags.writeable = False
    return stacked


def lloyd(X, centroids, max_iters, steps, weights=None, verbose=True):
    """Alternate assignment and update ``max_iters`` times.

    Parameters
    ----------
    X : ndarray of shape (m, n), read-only
    centroids : ndarray of shape (K, n)
    max_iters : int
    steps : _Steps
    weights : ndarray of shape (m,), optional
    verbose : bool

    Returns
    -------
    centroids : ndarray of shape (K, n)
    idx : ndarray of shape (m,)
        The closest final centroid of each row.
    history : list of ndarray
        The centroids before the first iteration and after each one.
    """
    K = centroids.shape[0]
    weighted = None if weights is None else weighted_columns(X, weights)
    history = [centroids]
    for iteration in range(1, max_iters + 1):
        idx = steps.assign(X, centroids)
        moved = steps.update(X, idx, weighted)
        empty = np.bincount(idx, minlength=K) == 0
        moved[empty] = centroids[empty]
        if not np.all(np.isfinite(moved)):
            raise ValueError("compute_centroids returned NaN or infinity")
        centroids = moved
        history.append(centroids)
        if verbose:
            note = (
                f" ({empty.sum()} empty cluster(s) kept in place)"
                if empty.any()
                else ""
            )
            cost = distortion(X, idx, centroids, weights)
            print(f"K-means iteration {iteration}/{max_iters}: cost {cost:.4f}{note}")
    return centroids, steps.assign(X, centroids), history


def _read_only(array):
    view = array.view()
    view.flags.writeable = False
    return view


def run_kMeans(
    X,
    initial_centroids,
    max_iters=10,
    plot_progress=False,
    *,
    find_closest_centroids,
    compute_centroids,
    ax=None,
    verbose=True,
):
    """Run K-means with the student's own two steps.

    Each iteration assigns every example to its closest centroid with
    ``find_closest_centroids`` and moves every centroid with
    ``compute_centroids``.  A centroid whose cluster is empty keeps its
    previous position, so it never becomes NaN.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        The examples.
    initial_centroids : ndarray of shape (K, n)
        Where the centroids start.
    max_iters : int
        How many iterations to run.
    plot_progress : bool
        Draw the clusters and each centroid's path (2-D data only).
    find_closest_centroids : callable
        ``find_closest_centroids(X, centroids) -> idx`` of shape (m,).
    compute_centroids : callable
        ``compute_centroids(X, idx, K) -> centroids`` of shape (K, n).
    ax : matplotlib Axes, optional
        Where to draw the progress plot; a new figure if omitted.
    verbose : bool
        Print one progress line per iteration.

    Returns
    -------
    centroids : ndarray of shape (K, n)
        The final centroids.
    idx : ndarray of shape (m,), int
        Each example's closest final centroid.

    Notes
    -----
    For at least :data:`DISTINCT_COLOURS_FROM` rows of 8-bit colours (n = 3,
    values k / 255), the two functions see the distinct colours, with the
    weighted update described in :class:`_Steps`.
    """
    X = check_points(X)
    m, n = X.shape
    centroids = check_centroids(initial_centroids, n, "initial_centroids").copy()
    K = centroids.shape[0]
    if not isinstance(max_iters, (int, np.integer)) or max_iters < 0:
        raise ValueError(f"max_iters must be a whole number >= 0, got {max_iters!r}")
    if plot_progress and n != 2:
        raise ValueError(f"plot_progress needs 2-D data (n = 2), got n = {n}")
    steps = _Steps(find_closest_centroids, compute_centroids, K)

    levels = eight_bit_levels(X) if m >= DISTINCT_COLOURS_FROM else None
    if levels is None:
        centroids, idx, history = lloyd(
            _read_only(X), centroids, max_iters, steps, None, verbose
        )
    else:
        colours, counts, inverse = distinct_colours(levels)
        del levels
        if verbose:
            print(
                f"{m:,} pixels, {len(colours):,} distinct colours: K-means uses those"
            )
        points = _read_only((colours / 255.0).astype(X.dtype))
        centroids, idx_colours, history = lloyd(
            points, centroids, max_iters, steps, counts.astype(np.float64), verbose
        )
        idx = idx_colours[inverse]
    if plot_progress:
        plot_progress_kMeans(X, np.stack(history), idx, ax=ax)
    return centroids, idx
