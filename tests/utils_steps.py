"""Plain loop versions of the two K-means steps, for tests of the helpers.

Written here, independently of the reference solutions in the source notebook.
"""

import numpy as np


def loop_closest(X, centroids):
    """Each row's nearest centroid, one row at a time."""
    idx = np.zeros(len(X), dtype=int)
    for i, x in enumerate(X):
        idx[i] = int(np.argmin([np.sum((x - c) ** 2) for c in centroids]))
    return idx


def loop_means(X, idx, K):
    """Each cluster's mean, zeros for an empty cluster."""
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        if np.any(idx == k):
            centroids[k] = X[idx == k].mean(axis=0)
    return centroids


STEPS = {"find_closest_centroids": loop_closest, "compute_centroids": loop_means}
