"""The lab's figures, drawn with matplotlib's object API on an optional ``ax``."""

import matplotlib.pyplot as plt
import numpy as np

from .checks import check_centroids, check_idx, check_points


def cluster_colours(K):
    """Return K distinct RGBA colours, one per cluster, as a (K, 4) array."""
    if K <= 10:
        return plt.get_cmap("tab10")(np.arange(K))
    if K <= 20:
        return plt.get_cmap("tab20")(np.arange(K))
    return plt.get_cmap("turbo")(np.linspace(0.0, 1.0, K))


def _new_axes(ax, projection=None, figsize=(6, 5)):
    if ax is not None:
        if projection == "3d" and getattr(ax, "name", None) != "3d":
            raise ValueError("ax must be a 3-D axes (projection='3d')")
        return ax
    fig = plt.figure(figsize=figsize)
    return fig.add_subplot(projection=projection)


def plot_data_points(X, idx, K=None, ax=None):
    """Scatter 2-D examples, coloured by the cluster they belong to.

    Parameters
    ----------
    X : ndarray of shape (m, 2)
    idx : ndarray of shape (m,), int
    K : int, optional
        The number of clusters; ``idx.max() + 1`` if omitted.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    X = check_points(X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (m, 2) to plot, got {X.shape}")
    idx = np.asarray(idx)
    if K is None:
        K = int(idx.max()) + 1 if idx.size else 1
    idx = check_idx(idx, X.shape[0], K)
    ax = _new_axes(ax)
    ax.scatter(X[:, 0], X[:, 1], c=cluster_colours(K)[idx], s=18, edgecolors="none")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"{X.shape[0]} examples in {K} clusters")
    return ax


def plot_progress_kMeans(X, centroid_history, idx, ax=None):
    """Plot the clusters and the path each centroid took.

    Parameters
    ----------
    X : ndarray of shape (m, 2)
    centroid_history : ndarray of shape (T, K, 2)
        The centroids before the first iteration and after each of the
        ``T - 1`` iterations.
    idx : ndarray of shape (m,), int
        The final assignment, coloured in the plot.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    history = np.asarray(centroid_history, dtype=float)
    if history.ndim != 3 or history.shape[2] != 2 or history.shape[0] == 0:
        raise ValueError(
            f"centroid_history must have shape (T, K, 2), got {history.shape}"
        )
    K = history.shape[1]
    ax = plot_data_points(X, idx, K, ax=ax)
    for k in range(K):
        path = history[:, k, :]
        ax.plot(path[:, 0], path[:, 1], "-x", color="black", lw=1, ms=6)
        ax.plot(*path[-1], "X", color=cluster_colours(K)[k], ms=14, mec="black")
    ax.set_title(f"Centroid paths over {history.shape[0] - 1} iterations")
    return ax


def plot_kMeans_RGB(X, centroids, idx, K=None, ax=None, max_points=8000):
    """Show pixels as points in RGB space, with the K centroids.

    Parameters
    ----------
    X : ndarray of shape (m, 3)
        Pixel colours in [0, 1]; each point is drawn in its own colour.
    centroids : ndarray of shape (K, 3)
    idx : ndarray of shape (m,), int
        Accepted for symmetry with the 2-D plot and checked; not drawn.
    K : int, optional
        Must equal ``len(centroids)`` if given.
    ax : 3-D matplotlib Axes, optional
    max_points : int
        At most this many evenly spaced pixels are drawn.

    Returns
    -------
    matplotlib Axes (3-D)
    """
    X = check_points(X)
    if X.shape[1] != 3:
        raise ValueError(f"X must have shape (m, 3) for RGB pixels, got {X.shape}")
    centroids = check_centroids(centroids, 3)
    if K is not None and K != centroids.shape[0]:
        raise ValueError(f"K = {K} but centroids has {centroids.shape[0]} rows")
    check_idx(idx, X.shape[0], centroids.shape[0])
    if not isinstance(max_points, (int, np.integer)) or max_points < 1:
        raise ValueError(f"max_points must be a whole number >= 1, got {max_points!r}")
    ax = _new_axes(ax, projection="3d", figsize=(7, 6))
    step = max(1, int(np.ceil(X.shape[0] / max_points)))
    shown = np.clip(X[::step], 0.0, 1.0)
    ax.scatter(*shown.T, c=shown, s=2, alpha=0.4, depthshade=False)
    ax.scatter(
        *centroids.T, c="black", marker="x", s=120, linewidths=3, depthshade=False
    )
    ax.set_xlabel("R")
    ax.set_ylabel("G")
    ax.set_zlabel("B")
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_pane_color((0.3, 0.3, 0.3, 0.15))
    ax.set_title(f"Pixel colours in RGB space and the {centroids.shape[0]} centroids")
    return ax


def show_centroid_colours(centroids, ax=None):
    """Show each centroid as a swatch of its colour.

    Parameters
    ----------
    centroids : ndarray of shape (K, 3)
        RGB colours in [0, 1].
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    centroids = check_centroids(centroids, 3)
    K = centroids.shape[0]
    ax = _new_axes(ax, figsize=(max(4, 0.5 * K), 1.6))
    ax.imshow(np.clip(centroids, 0.0, 1.0)[None, :, :], aspect="equal")
    ax.set_xticks(np.arange(K))
    ax.set_yticks([])
    ax.set_xlabel("centroid index")
    ax.set_title(f"The {K} centroid colours")
    return ax


def comparison_size(shape):
    """Figure size (inches) for two images of ``shape`` side by side.

    Each panel is as wide as the photo at 100 dpi, between 3 and 4.5 inches
    (so two fit a notebook's width unscaled), and at most 6 inches tall.
    """
    height, width = shape[:2]
    panel = min(4.5, max(3.0, width / 100), 6.0 * width / height)
    return (round(2 * panel + 0.3, 1), round(panel * height / width + 0.5, 1))


def show_compression(original, compressed, K, axes=None):
    """Show the original image and its K-colour version side by side.

    Parameters
    ----------
    original, compressed : ndarray of shape (h, w, 3)
        RGB images in [0, 1], of the same shape.
    K : int
        The number of colours of ``compressed``, for its title.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    pair of matplotlib Axes
    """
    original = np.asarray(original)
    compressed = np.asarray(compressed)
    if original.ndim != 3 or original.shape[2] != 3:
        raise ValueError(f"original must have shape (h, w, 3), got {original.shape}")
    if compressed.shape != original.shape:
        raise ValueError(
            f"compressed must have the original's shape {original.shape}, "
            f"got {compressed.shape}"
        )
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=comparison_size(original.shape), layout="constrained"
        )
    left, right = axes
    left.imshow(np.clip(original, 0.0, 1.0))
    left.set_title("Original")
    right.imshow(np.clip(compressed, 0.0, 1.0))
    right.set_title(f"Compressed with {K} colours")
    for ax in (left, right):
        ax.set_axis_off()
    return left, right
