"""Real bytes: palette PNGs, PSNR, and compressing a whole photo.

A K-colour image is stored as a palette PNG (Pillow's mode ``P``): the K
centroid colours as the palette and one index per pixel, which Pillow packs
into 1, 2, 4 or 8 bits depending on K.
"""

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .checks import check_centroids, check_idx
from .colours import distinct_colours
from .data import read_pixels
from .kmeans import _read_only, _Steps, lloyd

#: The largest photo compress_photo takes, in pixels (24 megapixels).
MAX_PIXELS = 24_000_000


def palette_image(centroids, idx, shape):
    """Build the palette image of a K-colour compression.

    Parameters
    ----------
    centroids : ndarray of shape (K, 3)
        The palette, RGB in [0, 1]; 1 <= K <= 256.
    idx : ndarray of shape (h * w,), int
        Each pixel's palette index.
    shape : tuple
        The image's ``(h, w)`` or ``(h, w, 3)``.

    Returns
    -------
    PIL.Image.Image
        Mode ``P``, with the centroids rounded to 8 bits as its palette.
    """
    centroids = check_centroids(centroids, 3)
    K = centroids.shape[0]
    if not 1 <= K <= 256:
        raise ValueError(f"a palette PNG holds 1 to 256 colours, got K = {K}")
    h, w = shape[:2]
    idx = check_idx(np.asarray(idx).reshape(-1), h * w, K)
    image = Image.frombytes("P", (w, h), idx.astype(np.uint8).tobytes())
    palette = np.rint(np.clip(centroids, 0.0, 1.0) * 255).astype(np.uint8)
    image.putpalette(palette.tobytes(), rawmode="RGB")
    return image


def png_bytes(image):
    """Encode a Pillow image, or an (h, w, 3) array in [0, 1], as PNG bytes."""
    if isinstance(image, np.ndarray):
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"image must have shape (h, w, 3), got {image.shape}")
        image = Image.fromarray(np.rint(np.clip(image, 0, 1) * 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def psnr(original, compressed, peak=1.0):
    """Peak signal-to-noise ratio in dB: ``10 log10(peak^2 / MSE)``.

    Parameters
    ----------
    original, compressed : ndarray of the same shape
        Images with values in [0, peak].
    peak : float
        The largest possible value.

    Returns
    -------
    float
        Infinity when the two are identical.
    """
    original = np.asarray(original, dtype=np.float64)
    compressed = np.asarray(compressed, dtype=np.float64)
    if original.shape != compressed.shape:
        raise ValueError(
            f"images must have one shape, got {original.shape} and {compressed.shape}"
        )
    mse = float(np.mean((original - compressed) ** 2))
    return math.inf if mse == 0 else 10.0 * math.log10(peak**2 / mse)


@dataclass
class CompressionReport:
    """What :func:`compress_photo` did, in numbers."""

    path: Path
    out: Path | None
    height: int
    width: int
    distinct_colours: int
    K: int
    file_bytes: int
    png_bytes: int | None
    palette_png_bytes: int
    psnr_db: float

    def lines(self):
        """The summary :func:`compress_photo` prints."""
        pixels = self.height * self.width
        size = f"{self.palette_png_bytes:,} bytes"
        text = [
            f"{self.path.name}: {self.width} x {self.height} = {pixels:,} pixels, "
            f"{self.distinct_colours:,} distinct colours",
            f"{self.K}-colour palette PNG: {size}"
            + (f", written to {self.out.name}" if self.out else ""),
            f"original file: {self.file_bytes:,} bytes",
        ]
        if self.png_bytes is not None:
            ratio = self.png_bytes / self.palette_png_bytes
            text.append(
                f"original as a 24-bit PNG: {self.png_bytes:,} bytes "
                f"({ratio:.2f} times the palette PNG)"
            )
        text.append(f"PSNR: {self.psnr_db:.2f} dB")
        return text


def _to_eight_bits(pixels, full_scale):
    if full_scale == 255:
        return pixels
    scaled = (pixels.astype(np.uint32) * 255 + full_scale // 2) // full_scale
    return scaled.astype(np.uint8)


def compress_photo(
    path,
    K=16,
    *,
    find_closest_centroids,
    compute_centroids,
    init=None,
    rng=None,
    max_iters=10,
    out=None,
    compare_png=True,
    verbose=True,
):
    """Compress a PNG or JPEG photo to K colours with the student's functions.

    K-means runs on the photo's distinct colours, each weighted by its number
    of pixels, which gives the same clustering as running it on every pixel
    with far less work and memory (see :mod:`labkit.kmeans`).

    Parameters
    ----------
    path : str or Path
        A PNG or JPEG file: RGB, RGBA, grey, palette or 16-bit grey, any EXIF
        orientation; at most 24 megapixels.
    K : int
        Colours in the palette, 1 to 256, at most the photo's distinct colours.
    find_closest_centroids, compute_centroids : callable
        The two steps of K-means, as in ``utils.run_kMeans``.
    init : callable, optional
        ``init(colours, K, rng) -> (K, 3)`` starting centroids, given the
        distinct colours in [0, 1]; by default K distinct colours drawn at
        random with probability proportional to their number of pixels.
    rng : numpy.random.Generator, optional
        The randomness of the start; unseeded if omitted.
    max_iters : int
        K-means iterations.
    out : str or Path, optional
        Where to write the palette PNG; it is only measured if omitted.
    compare_png : bool
        Also measure the original encoded as a 24-bit PNG.
    verbose : bool
        Print a progress line per iteration and a summary.

    Returns
    -------
    CompressionReport
    """
    path = Path(path)
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or not 1 <= K <= 256:
        raise ValueError(f"K must be a whole number from 1 to 256, got {K!r}")
    pixels, full_scale = read_pixels(path)
    height, width = pixels.shape[:2]
    if height * width > MAX_PIXELS:
        raise ValueError(
            f"{path.name} has {height * width:,} pixels; compress_photo takes "
            f"at most {MAX_PIXELS:,} (24 megapixels)"
        )
    levels = _to_eight_bits(pixels, full_scale).reshape(-1, 3)
    del pixels
    colours, counts, inverse = distinct_colours(levels)
    if verbose:
        print(
            f"{path.name}: {width} x {height} = {height * width:,} pixels, "
            f"{len(colours):,} distinct colours"
        )
    if K > len(colours):
        raise ValueError(
            f"{path.name} has only {len(colours)} distinct colours: choose K <= "
            f"{len(colours)}"
        )
    rng = np.random.default_rng() if rng is None else rng
    points = _read_only(colours / 255.0)
    if init is None:
        chosen = rng.choice(
            len(colours), size=K, replace=False, p=counts / counts.sum()
        )
        start = points[chosen].copy()
    else:
        start = check_centroids(init(points, K, rng), 3, "init's result")
        if start.shape[0] != K:
            raise ValueError(f"init must return {K} centroids, got {start.shape[0]}")
    steps = _Steps(find_closest_centroids, compute_centroids, K)
    weights = counts.astype(np.float64)
    centroids, idx_colours, _ = lloyd(points, start, max_iters, steps, weights, verbose)

    image = palette_image(centroids, idx_colours[inverse], (height, width))
    encoded = png_bytes(image)
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(encoded)
    palette = np.rint(np.clip(centroids, 0, 1) * 255)
    errors = colours.astype(np.float64) - palette[idx_colours]
    mse = float(np.einsum("ij,ij->i", errors, errors) @ counts) / (3 * counts.sum())
    report = CompressionReport(
        path=path,
        out=out,
        height=height,
        width=width,
        distinct_colours=len(colours),
        K=K,
        file_bytes=path.stat().st_size,
        png_bytes=len(png_bytes(Image.fromarray(levels.reshape(height, width, 3))))
        if compare_png
        else None,
        palette_png_bytes=len(encoded),
        psnr_db=math.inf if mse == 0 else 10 * math.log10(255**2 / mse),
    )
    if verbose:
        print("\n".join(report.lines()[1:]))
    return report
