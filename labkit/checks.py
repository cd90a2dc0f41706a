"""Input checks: each returns a clean array, or raises ValueError naming the need."""

import numpy as np


def check_points(X, name="X"):
    """Return ``X`` as a 2-D float array of finite values.

    Parameters
    ----------
    X : array-like of shape (m, n)
        One example per row.
    name : str
        The argument's name, used in error messages.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D with at least one row and one column, is not
        numeric, or holds NaN or infinity.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"{name} must be a 2-D array of shape (m, n) with m, n >= 1, "
            f"got shape {X.shape}"
        )
    if not (np.issubdtype(X.dtype, np.floating) or np.issubdtype(X.dtype, np.integer)):
        raise ValueError(f"{name} must hold numbers, got dtype {X.dtype}")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    # min and max are NaN if any value is, and infinite if any value is: two
    # passes without a temporary array the size of X.
    if X.size and not (np.isfinite(X.min()) and np.isfinite(X.max())):
        raise ValueError(f"{name} must not contain NaN or infinity")
    return X


def check_centroids(centroids, n, name="centroids"):
    """Return ``centroids`` as a (K, n) float array, checking its shape.

    Parameters
    ----------
    centroids : array-like of shape (K, n)
        One centroid per row.
    n : int
        The number of features every centroid must have.
    name : str
        The argument's name, used in error messages.
    """
    centroids = check_points(centroids, name)
    if centroids.shape[1] != n:
        raise ValueError(
            f"{name} must have shape (K, {n}) to match X's {n} features, "
            f"got shape {centroids.shape}"
        )
    return centroids


def check_idx(idx, m, K, name="idx"):
    """Return ``idx`` as an int array of shape (m,) with values in ``0..K-1``.

    Parameters
    ----------
    idx : array-like of shape (m,)
        The index of the centroid each example is assigned to.
    m : int
        The number of examples.
    K : int or None
        The number of centroids; None to leave the values unchecked.
    name : str
        The argument's name, used in error messages.
    """
    idx = np.asarray(idx)
    if idx.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), got shape {idx.shape}")
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {idx.dtype}")
    if K is not None and m and (idx.min() < 0 or idx.max() >= K):
        raise ValueError(
            f"{name} must hold centroid indices 0..{K - 1}, "
            f"got values from {idx.min()} to {idx.max()}"
        )
    return idx
