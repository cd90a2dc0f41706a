"""Helpers and plots for the K-means image-compression lab.

Nothing here answers an exercise: :func:`run_kMeans` runs the two functions
the student wrote, which are handed to it by keyword.  Every helper checks the
shapes it is given and raises :class:`ValueError` naming what it expected.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import scipy.io
from PIL import Image, ImageOps, UnidentifiedImageError

LAB_ROOT = Path(__file__).resolve().parent
DATA_DIR = LAB_ROOT / "data"
POINTS_PATH = DATA_DIR / "ex7data2.mat"
PHOTO_PATH = DATA_DIR / "grace_hopper_small.png"

#: Image formats :func:`load_image` reads, as Pillow names them.
IMAGE_FORMATS = ("PNG", "JPEG")
#: Pillow modes holding 16-bit grey levels (16-bit PNGs open in one of these).
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I")
#: Pillow modes that convert to RGB without loss of meaning.
_RGB_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr")


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------


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
    if not np.all(np.isfinite(X)):
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
    K : int
        The number of centroids.
    name : str
        The argument's name, used in error messages.
    """
    idx = np.asarray(idx)
    if idx.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), got shape {idx.shape}")
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {idx.dtype}")
    if m and (idx.min() < 0 or idx.max() >= K):
        raise ValueError(
            f"{name} must hold centroid indices 0..{K - 1}, "
            f"got values from {idx.min()} to {idx.max()}"
        )
    return idx


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def load_data(path=POINTS_PATH):
    """Load the 2-D sample data set.

    Parameters
    ----------
    path : str or Path
        A MATLAB ``.mat`` file holding a variable ``X``; by default
        ``data/ex7data2.mat``.

    Returns
    -------
    X : ndarray of shape (m, 2), float64
        The examples, one per row.
    """
    contents = scipy.io.loadmat(path)
    if "X" not in contents:
        raise ValueError(f"{path} holds no variable named 'X'")
    X = check_points(contents["X"]).astype(np.float64)
    if X.shape[1] != 2:
        raise ValueError(f"X in {path} must have shape (m, 2), got {X.shape}")
    return X


def load_image(path):
    """Read a PNG or JPEG file as an RGB float image in [0, 1].

    Alpha is dropped, grey levels are copied into the three channels, 8-bit
    values are divided by 255 and 16-bit values by 65535.  The EXIF
    orientation tag, if any, is applied.

    Parameters
    ----------
    path : str or Path
        The image file.

    Returns
    -------
    image : ndarray of shape (h, w, 3), float64
        Red, green and blue in [0, 1].

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a PNG or JPEG image, or holds a kind of pixel
        this lab does not read.
    """
    try:
        with Image.open(path) as opened:
            if opened.format not in IMAGE_FORMATS:
                raise ValueError(
                    f"{path} is a {opened.format} image; load_image reads PNG or JPEG"
                )
            image = ImageOps.exif_transpose(opened)
            image.load()
    except UnidentifiedImageError:
        raise ValueError(f"{path} is not an image file PNG or JPEG can read") from None
    except (OSError, SyntaxError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"{path} could not be read as an image: {error}") from None
    if image.mode in _SIXTEEN_BIT_MODES:
        grey = np.asarray(image, dtype=np.float64) / 65535.0
        return np.repeat(np.clip(grey, 0.0, 1.0)[:, :, None], 3, axis=2)
    if image.mode not in _RGB_MODES:
        raise ValueError(
            f"{path} holds pixels of mode {image.mode!r}; load_image reads "
            "grey, palette, RGB or RGBA images with 8 or 16 bits per channel"
        )
    return np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0


# --------------------------------------------------------------------------
# K-means driver
# --------------------------------------------------------------------------


def distortion(X, idx, centroids):
    """Return the K-means cost: the mean squared distance to the assigned centroid.

    Parameters
    ----------
    X : ndarray of shape (m, n)
    idx : ndarray of shape (m,), int
        ``idx[i]`` is the centroid example ``i`` is assigned to.
    centroids : ndarray of shape (K, n)

    Returns
    -------
    float
        :math:`J = \\frac{1}{m} \\sum_i \\lVert x^{(i)} - \\mu_{c^{(i)}} \\rVert^2`.
    """
    X = check_points(X)
    centroids = check_centroids(centroids, X.shape[1])
    idx = check_idx(idx, X.shape[0], centroids.shape[0])
    residuals = X - centroids[idx]
    return float(np.mean(np.sum(residuals * residuals, axis=1)))


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
    """
    X = check_points(X)
    m, n = X.shape
    centroids = check_centroids(initial_centroids, n, "initial_centroids").copy()
    K = centroids.shape[0]
    if not isinstance(max_iters, (int, np.integer)) or max_iters < 0:
        raise ValueError(f"max_iters must be a whole number >= 0, got {max_iters!r}")
    if plot_progress and n != 2:
        raise ValueError(f"plot_progress needs 2-D data (n = 2), got n = {n}")

    # The student's functions see a read-only view: an in-place change to X
    # fails loudly instead of silently corrupting the data.
    X_read_only = X.view()
    X_read_only.flags.writeable = False

    def assign(current):
        found = find_closest_centroids(X_read_only, current.copy())
        return check_idx(found, m, K, "find_closest_centroids' result")

    history = [centroids]
    for iteration in range(1, max_iters + 1):
        idx = assign(centroids)
        moved = np.array(compute_centroids(X_read_only, idx.copy(), K), dtype=float)
        if moved.shape != (K, n):
            raise ValueError(
                f"compute_centroids' result must have shape ({K}, {n}), "
                f"got shape {moved.shape}"
            )
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
            cost = distortion(X, idx, centroids)
            print(f"K-means iteration {iteration}/{max_iters}: cost {cost:.4f}{note}")

    idx = assign(centroids)
    if plot_progress:
        plot_progress_kMeans(X, np.stack(history), idx, ax=ax)
    return centroids, idx


# --------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------


def cluster_colors(K):
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
    ax.scatter(X[:, 0], X[:, 1], c=cluster_colors(K)[idx], s=18, edgecolors="none")
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
        ax.plot(*path[-1], "X", color=cluster_colors(K)[k], ms=14, mec="black")
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


def show_centroid_colors(centroids, ax=None):
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
        _, axes = plt.subplots(1, 2, figsize=(8, 4))
    left, right = axes
    left.imshow(np.clip(original, 0.0, 1.0))
    left.set_title("Original")
    right.imshow(np.clip(compressed, 0.0, 1.0))
    right.set_title(f"Compressed with {K} colours")
    for ax in (left, right):
        ax.set_axis_off()
    return left, right
