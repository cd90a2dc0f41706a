"""Helpers and plots for the K-means image-compression lab.

Nothing here answers an exercise: :func:`run_kMeans` runs the two functions
the student wrote, which are handed to it by keyword.  Every helper checks the
shapes it is given and raises :class:`ValueError` naming what it expected.

The code lives in the ``labkit`` package, one module per job; this module
gathers what the notebook uses under one name, and joins the computation to
its plot in :func:`run_kMeans`.  Figures are shown with :func:`show_figure`,
which gives each one a text alternative and a caption.
"""

from labkit import kmeans
from labkit.checks import check_points
from labkit.compression import compress_photo, palette_image, png_bytes, psnr
from labkit.data import (
    DATA_DIR,
    LAB_ROOT,
    PHOTO_PATH,
    POINTS_PATH,
    load_data,
    load_image,
)
from labkit.kmeans import distortion
from labkit.plots import (
    cluster_colours,
    cluster_markers,
    describe,
    plot_data_points,
    plot_kMeans_RGB,
    plot_progress_kMeans,
    show_centroid_colours,
    show_compression,
    show_figure,
)
from labkit.progress import announce, announce_photo

#: The notebook's earlier spelling, kept while the notebook still uses it.
show_centroid_colors = show_centroid_colours

__all__ = [
    "DATA_DIR",
    "announce",
    "announce_photo",
    "LAB_ROOT",
    "PHOTO_PATH",
    "POINTS_PATH",
    "cluster_colours",
    "cluster_markers",
    "describe",
    "compress_photo",
    "distortion",
    "load_data",
    "load_image",
    "palette_image",
    "png_bytes",
    "psnr",
    "plot_data_points",
    "plot_kMeans_RGB",
    "plot_progress_kMeans",
    "run_kMeans",
    "show_centroid_colours",
    "show_centroid_colors",
    "show_compression",
    "show_figure",
]


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
    """Run K-means with the student's own two steps, and plot it if asked.

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
        Draw the clusters and each centroid's path (2-D data only); show it
        with :func:`show_figure`, which adds its text alternative.
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
    The computation is :func:`labkit.kmeans.kmeans`, which also tells how
    large photos are handled.
    """
    if plot_progress:
        n = check_points(X).shape[1]
        if n != 2:
            raise ValueError(f"plot_progress needs 2-D data (n = 2), got n = {n}")
    centroids, idx, history = kmeans.kmeans(
        X,
        initial_centroids,
        max_iters,
        find_closest_centroids=find_closest_centroids,
        compute_centroids=compute_centroids,
        verbose=verbose,
    )
    if plot_progress:
        plot_progress_kMeans(X, history, idx, ax=ax)
    return centroids, idx
