"""Where K-means starts on a photo's colours: a variance split of the colour space.

The classic palette start (Heckbert's median cut, 1982, with Wu's variance
criterion, 1991): begin with one box holding every colour, and K - 1 times
cut the box whose colours are spread most (the largest weighted sum of
squared distances to its mean) in two, with the cut, across one channel,
that leaves the two halves the smallest such sum.  The K boxes' weighted
mean colours are the start; K-means then moves them.

Given the same points and weights it gives the same start; ``compress_photo``
varies it by perturbing the weights.  It is not k-means++: k-means++ is an
exercise of the lab, and no file handed to students holds its answer.
"""

import numpy as np


def _spread(X, weights):
    """The weighted sum of squared distances of the rows of X to their mean."""
    mean = weights @ X / weights.sum()
    gap = X - mean
    return float(weights @ np.einsum("ij,ij->i", gap, gap))


def _best_cut(X, weights):
    """The cut of one box that leaves its two halves the least spread.

    Returns ``(spread, left)``: the two halves' total spread and a boolean
    mask of the rows on the left, or None if no cut leaves weight on both
    sides (every row of the box is one point, or only one row has weight).
    """
    if X.shape[0] < 2:
        return None
    best = None
    squares = np.einsum("ij,ij->i", X, X)
    total_weight = weights.sum()
    total_sum = weights @ X
    total_square = float(weights @ squares)
    for axis in range(X.shape[1]):
        order = np.argsort(X[:, axis], kind="stable")
        values = X[order, axis]
        w = weights[order]
        weight_left = np.cumsum(w)[:-1]
        sum_left = np.cumsum(w[:, np.newaxis] * X[order], axis=0)[:-1]
        square_left = np.cumsum(w * squares[order])[:-1]
        weight_right = total_weight - weight_left
        # A cut between positions j and j + 1 of the order: only where the
        # value changes, and with weight on both sides.
        allowed = (values[1:] > values[:-1]) & (weight_left > 0) & (weight_right > 0)
        if not allowed.any():
            continue
        right_sum = total_sum - sum_left
        with np.errstate(invalid="ignore", divide="ignore"):
            left = square_left - np.einsum("ij,ij->i", sum_left, sum_left) / weight_left
            right = (total_square - square_left) - np.einsum(
                "ij,ij->i", right_sum, right_sum
            ) / weight_right
        spread = np.where(allowed, left + right, np.inf)
        j = int(np.argmin(spread))
        if best is None or spread[j] < best[0]:
            best = (float(spread[j]), axis, values[j])
    if best is None:
        return None
    spread, axis, threshold = best
    return spread, X[:, axis] <= threshold


class _Box:
    """Rows of the points, their spread, and their best cut (None if none)."""

    def __init__(self, X, weights, rows):
        self.rows = rows
        self.spread = _spread(X[rows], weights[rows])
        self.cut = _best_cut(X[rows], weights[rows]) if self.spread > 0 else None

    def gain(self):
        """How much cutting this box lowers the total spread."""
        return -np.inf if self.cut is None else self.spread - self.cut[0]


#: Which box to cut next, by criterion: the larger key wins.
CRITERIA = {"gain": _Box.gain, "spread": lambda box: box.spread}


def variance_split(X, K, weights=None, criterion="gain"):
    """K starting centroids: the weighted means of K boxes cut from the points.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        The points (a photo's colours or boxes of similar colours).
    K : int
        The number of centroids, 1 <= K <= the number of distinct rows.
    weights : ndarray of shape (m,), optional
        How many times each point counts (its pixels); 1 each if omitted.
    criterion : {"gain", "spread"}
        Which box is cut next: the one whose best cut lowers the total
        spread most (``"gain"``, Wu's greedy rule), or the most spread one
        (``"spread"``).

    Returns
    -------
    centroids : ndarray of shape (K, n), float64
        The weighted mean of each box, one row per box.

    Raises
    ------
    ValueError
        If K is not a whole number from 1 to m, the weights are not m numbers
        >= 0 with a positive sum, the criterion is unknown, or the points with
        weight have fewer than K distinct rows.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be 'gain' or 'spread', got {criterion!r}")
    X = np.asarray(X, dtype=np.float64)
    m = X.shape[0]
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or not 1 <= K <= m:
        raise ValueError(f"K must be a whole number from 1 to {m}, got {K!r}")
    weights = np.ones(m) if weights is None else np.asarray(weights, dtype=np.float64)
    if weights.shape != (m,) or not np.all(weights >= 0) or weights.sum() <= 0:
        raise ValueError("weights must be m numbers >= 0, not all 0")
    boxes = [_Box(X, weights, np.flatnonzero(weights > 0))]
    while len(boxes) < K:
        cuttable = [box for box in boxes if box.cut is not None]
        if not cuttable:
            raise ValueError(f"the points have fewer than K = {K} distinct rows")
        box = max(cuttable, key=CRITERIA[criterion])
        boxes.remove(box)
        left = box.cut[1]
        boxes += [_Box(X, weights, box.rows[left]), _Box(X, weights, box.rows[~left])]
    means = [weights[box.rows] @ X[box.rows] / weights[box.rows].sum() for box in boxes]
    return np.array(means)
