"""Helpers and plots for the K-means image-compression lab.

Nothing here answers an exercise: :func:`run_kMeans` runs the two functions
the student wrote, which are handed to it by keyword.  Every helper checks the
shapes it is given and raises :class:`ValueError` naming what it expected.

The code lives in the ``labkit`` package, one module per job; this module
gathers what the notebook uses under one name.
"""

from labkit.checks import check_centroids, check_idx, check_points
from labkit.compression import compress_photo, palette_image, png_bytes, psnr
from labkit.data import (
    DATA_DIR,
    LAB_ROOT,
    PHOTO_PATH,
    POINTS_PATH,
    load_data,
    load_image,
)
from labkit.kmeans import distortion, run_kMeans
from labkit.plots import (
    cluster_colors,
    plot_data_points,
    plot_kMeans_RGB,
    plot_progress_kMeans,
    show_centroid_colors,
    show_compression,
)
from labkit.progress import announce, announce_photo

__all__ = [
    "DATA_DIR",
    "announce",
    "announce_photo",
    "LAB_ROOT",
    "PHOTO_PATH",
    "POINTS_PATH",
    "check_centroids",
    "check_idx",
    "check_points",
    "cluster_colors",
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
    "show_centroid_colors",
    "show_compression",
]
