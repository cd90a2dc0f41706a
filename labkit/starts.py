"""Where K-means starts: greedy k-means++ on weighted points.

Plain k-means++ draws each new centroid with probability proportional to its
squared distance from the nearest centroid so far, and one unlucky draw can
cost a dB.  The greedy form draws a few candidates per pick and keeps the
one that lowers the total weighted squared distance most, which makes an
unlucky start rare (Arthur and Vassilvitskii, 2007, suggest about
``2 + log K`` candidates; scikit-learn does the same).
"""

import math

import numpy as np


def _squared_distances(X, point):
    gap = X - point
    return np.einsum("ij,ij->i", gap, gap)


def greedy_kmeans_plusplus(X, K, rng, weights=None, candidates=None):
    """Choose K starting centroids among the rows of X by greedy k-means++.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        The points.
    K : int
        The number of centroids, 1 <= K <= the number of distinct rows.
    rng : numpy.random.Generator
        The source of all randomness.
    weights : ndarray of shape (m,), optional
        How many times each point counts; 1 each if omitted.
    candidates : int, optional
        Candidates drawn per pick; ``2 + floor(ln K)`` if omitted.

    Returns
    -------
    centroids : ndarray of shape (K, n)
        K distinct rows of X, in the order they were chosen.
    """
    m = X.shape[0]
    weights = np.ones(m) if weights is None else np.asarray(weights, dtype=float)
    if candidates is None:
        candidates = 2 + int(math.log(K))
    chosen = [rng.choice(m, p=weights / weights.sum())]
    nearest = _squared_distances(X, X[chosen[0]])
    for _ in range(1, K):
        mass = weights * nearest
        total = mass.sum()
        if total <= 0:
            raise ValueError(f"the points have fewer than K = {K} distinct rows")
        best = None
        for pick in rng.choice(m, size=candidates, p=mass / total):
            closer = np.minimum(nearest, _squared_distances(X, X[pick]))
            potential = float(closer @ weights)
            if best is None or potential < best[0]:
                best = (potential, pick, closer)
        _, pick, nearest = best
        chosen.append(pick)
    return X[np.array(chosen)].copy()
