"""Where K-means starts on a photo's colours: a variance split of the colour space.

The classic palette start (Heckbert's median cut, 1982, with Wu's variance
criterion, 1991): begin with one box holding every colour, and K - 1 times
cut one box in two, across one channel, where the two halves' spread (the
weighted sum of squared distances to their means) is least.  The box cut is
the one whose cut lowers the total spread most, or the most spread one (see
``criterion``).  The K boxes' weighted mean colours are the start; K-means
then moves them.

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


def _best_cut(X, weights, order):
    """The cut of one box that leaves its two halves the least spread.

    Every cut across one channel, between two of its values, is tried at
    once with running sums along each channel's order: a half of weight W,
    weighted sum S and weighted sum of squares Q has spread ``Q - |S|^2 / W``.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        The box's points.
    weights : ndarray of shape (m,)
        Their weights, all > 0.
    order : ndarray of shape (n, m), int
        ``order[a]`` sorts the points along channel ``a``.

    Returns
    -------
    tuple or None
        ``(spread, left)``: the two halves' total spread and a boolean mask of
        the points on the left; None if the points are all one.
    """
    if X.shape[0] < 2:
        return None
    values = np.take_along_axis(X.T, order, axis=1)  # (n, m)
    w = weights[order]
    squares = np.einsum("ij,ij->i", X, X)
    weight_left = np.cumsum(w, axis=1)[:, :-1]
    sum_left = np.cumsum(w[:, :, np.newaxis] * X[order], axis=1)[:, :-1]
    square_left = np.cumsum(w * squares[order], axis=1)[:, :-1]
    weight_right = weights.sum() - weight_left
    sum_right = weights @ X - sum_left
    square_right = float(weights @ squares) - square_left
    # A cut after position j of a channel's order: only where that channel's
    # value changes.
    allowed = values[:, 1:] > values[:, :-1]
    if not allowed.any():
        return None
    left = square_left - (sum_left * sum_left).sum(axis=2) / weight_left
    right = square_right - (sum_right * sum_right).sum(axis=2) / weight_right
    spread = np.where(allowed, left + right, np.inf)
    axis, j = np.unravel_index(int(np.argmin(spread)), spread.shape)
    mask = np.zeros(X.shape[0], dtype=bool)
    mask[order[axis, : j + 1]] = True
    return float(spread[axis, j]), mask


class _Box:
    """Rows of the points, their order along each channel, spread and best cut.

    ``order`` holds positions within ``rows``; a box cut from another keeps
    its parent's orders (filtered), so the points are sorted only once.
    """

    def __init__(self, X, weights, rows, order=None):
        self.rows = rows
        points = X[rows]
        if order is None:
            order = np.argsort(points.T, axis=1, kind="stable")
        self.order = order
        self.spread = _spread(points, weights[rows])
        self.cut = _best_cut(points, weights[rows], order) if self.spread > 0 else None

    def gain(self):
        """How much cutting this box lowers the total spread."""
        return -np.inf if self.cut is None else self.spread - self.cut[0]

    def halves(self, X, weights):
        """The two boxes of this box's best cut."""
        left = self.cut[1]
        boxes = []
        for half in (left, ~left):
            position = np.cumsum(half) - 1  # a row's position in the half
            kept = self.order[half[self.order]].reshape(self.order.shape[0], -1)
            boxes.append(_Box(X, weights, self.rows[half], position[kept]))
        return boxes


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
        boxes += box.halves(X, weights)
    means = [weights[box.rows] @ X[box.rows] / weights[box.rows].sum() for box in boxes]
    return np.array(means)
