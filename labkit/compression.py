"""Real bytes: palette PNGs, PSNR, and compressing a whole photo.

A K-colour image is stored as a palette PNG (Pillow's mode ``P``): the K
centroid colours as the palette and one index per pixel, which Pillow packs
into 1, 2, 4 or 8 bits depending on K.

:func:`compress_photo` reads as its stages: read, distinct colours, start,
iterate, assign, encode, report.  Every assignment and every update in them
is the student's own two functions; what makes it fast is how few rows they
are handed (distinct colours, then boxes of similar colours for the start)
and how few iterations a good start needs.
"""

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .checks import check_centroids, check_idx
from .colours import colour_boxes, distinct_colours, to_eight_bits
from .data import read_pixels
from .kmeans import StudentSteps, distortion, lloyd, read_only
from .starts import variance_split

#: The largest photo compress_photo takes, in pixels (24 megapixels).
MAX_PIXELS = 24_000_000
#: Starts tried on the coarse colour boxes; the one with the lowest cost wins.
#: The default starts are variance splits (:mod:`labkit.starts`), the first
#: on the true pixel counts, the others on randomly perturbed ones.
N_STARTS = 8
#: Bits per channel of the coarse boxes (32 levels: at most 32,768 boxes).
BOX_BITS = 5
#: Iterations at most from each start on the boxes (they stop once stable).
BOX_ITERS = 50
#: Photos with fewer distinct colours than this start on the colours themselves.
BOXES_FROM = 1 << 14
#: zlib level of the palette PNG compress_photo writes, chosen by measurement
#: (benchmarks/README.md): level 9 saves 3 to 8 % of the bytes for 10 times
#: the time.
COMPRESS_LEVEL = 6
#: Luma weights (ITU-R BT.601): the palette is stored from dark to light, so
#: neighbouring pixels tend to have close indices, which deflate rewards.
LUMA = np.array([0.299, 0.587, 0.114])


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
    image.putpalette(to_eight_bits(centroids).tobytes(), rawmode="RGB")
    return image


def png_bytes(image, compress_level=None):
    """Encode a Pillow image, or an (h, w, 3) array in [0, 1], as PNG bytes.

    Parameters
    ----------
    image : PIL.Image.Image or ndarray of shape (h, w, 3)
    compress_level : int, optional
        zlib level 0 to 9; by default Pillow's smallest (``optimize=True``).
    """
    if isinstance(image, np.ndarray):
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"image must have shape (h, w, 3), got {image.shape}")
        image = Image.fromarray(to_eight_bits(image))
    options = (
        {"optimize": True}
        if compress_level is None
        else {"compress_level": compress_level}
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def psnr_of_mse(mse, peak=1.0):
    """Peak signal-to-noise ratio in dB, ``10 log10(peak^2 / MSE)``; inf if MSE = 0."""
    return math.inf if mse == 0 else 10.0 * math.log10(peak**2 / mse)


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
    return psnr_of_mse(float(np.mean((original - compressed) ** 2)), peak)


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


@dataclass
class PhotoColours:
    """A photo's distinct 8-bit colours and how its pixels map to them."""

    levels: np.ndarray  # (u, 3) uint8
    counts: np.ndarray  # (u,) float64: pixels of each colour
    inverse: np.ndarray  # (h * w,): the colour of each pixel
    points: np.ndarray  # (u, 3) float64 in [0, 1], read-only


# ---------------------------------------------------------------- the stages


def _read(path):
    """Stage 1: the photo as 8-bit RGB, (h, w, 3) uint8."""
    pixels, full_scale = read_pixels(path)
    height, width = pixels.shape[:2]
    if height * width > MAX_PIXELS:
        raise ValueError(
            f"{path.name} has {height * width:,} pixels; compress_photo takes "
            f"at most {MAX_PIXELS:,} (24 megapixels)"
        )
    if full_scale == 255:
        return pixels
    # 16-bit grey: the nearest 8-bit level, in integers.
    scaled = (pixels.astype(np.uint32) * 255 + full_scale // 2) // full_scale
    return scaled.astype(np.uint8)


def _distinct(pixels):
    """Stage 2: the distinct colours, each weighted by its number of pixels."""
    levels, counts, inverse = distinct_colours(pixels.reshape(-1, 3))
    # Column by column in memory: a student's X[:, j] is then contiguous.
    points = read_only(np.asfortranarray(levels / 255.0))
    return PhotoColours(levels, counts.astype(np.float64), inverse, points)


def _start_points(colours, K):
    """What the starts run on: ``(points, weights, on_boxes)``.

    Coarse boxes of similar colours for a photo of many colours (when there
    are at least K of them), else the distinct colours themselves.
    """
    if len(colours.levels) >= BOXES_FROM:
        means, weights = colour_boxes(colours.levels, colours.counts, BOX_BITS)
        if len(means) >= K:
            return means, weights, True
    return colours.points, colours.counts, False


def planned_runs(path, K=16, n_starts=N_STARTS, max_iters=3):
    """The K-means runs :func:`compress_photo` makes on the photo, at most.

    Reads the photo and counts its distinct colours (and colour boxes), as
    compress_photo's first stages do, without running any K-means.

    Returns
    -------
    list of (rows, K, iterations)
        ``n_starts`` runs of at most ``BOX_ITERS`` iterations on the boxes
        (or the distinct colours), then ``max_iters`` on the distinct colours.
    """
    colours = _distinct(_read(Path(path)))
    points, _, _ = _start_points(colours, K)
    runs = [(len(points), K, BOX_ITERS)] * n_starts
    return [*runs, (len(colours.levels), K, max_iters)]


def _split_start(points, weights, K, attempt, rng):
    """The default start number ``attempt``: a variance split of the points.

    The first cuts the points as they are weighted, the box whose cut lowers
    the spread most each time; the others cut them under random weights (each
    point's pixels times an exponential draw, a Bayesian bootstrap, so each
    start sees a slightly different photo), alternating between that rule and
    cutting the most spread box.  Only the start is perturbed: the iterations
    after it use the true weights.
    """
    if attempt > 1:
        weights = weights * rng.exponential(size=len(weights))
    criterion = "gain" if attempt % 2 == 1 else "spread"
    return variance_split(points, K, weights, criterion)


def _start(colours, K, steps, rng, init, n_starts, verbose):
    """Stage 3: the best of ``n_starts`` short runs on coarse colour boxes.

    Each start is a variance split of the boxes (:func:`_split_start`), or
    ``init`` on the colours, followed by the student's iterations on the
    boxes until they are stable.
    """
    means, weights, on_boxes = _start_points(colours, K)
    if on_boxes:
        where, measured = f"{len(means):,} boxes of similar colours", "on the boxes "
    else:
        where, measured = f"the {len(means):,} distinct colours", ""
    means = read_only(np.asfortranarray(means))
    best = None
    for attempt in range(1, n_starts + 1):
        if init is None:
            start = _split_start(means, weights, K, attempt, rng)
        else:
            start = check_centroids(init(colours.points, K, rng), 3, "init's result")
            if start.shape[0] != K:
                raise ValueError(
                    f"init must return {K} centroids, got {start.shape[0]}"
                )
        run = lloyd(
            means, start, BOX_ITERS, steps, weights, verbose=False, until_stable=True
        )
        cost = run.cost()
        if verbose:
            print(
                f"start {attempt}/{n_starts}: {run.iterations} iterations on "
                f"{where} (cost {measured}{cost:.5f})"
            )
        if best is None or cost < best[0]:
            best = (cost, run.centroids)
    return best[1]


def _iterate(colours, centroids, steps, max_iters, verbose):
    """Stage 4: the student's iterations on the exact distinct colours."""
    run = lloyd(
        colours.points,
        centroids,
        max_iters,
        steps,
        colours.counts,
        verbose,
        until_stable=True,
        label=f"K-means on the {len(colours.levels):,} distinct colours, iteration",
        cost_format=".5f",
    )
    return run.centroids


def _assign(colours, centroids, steps):
    """Stage 5: the 8-bit palette, dark to light, and each colour's entry in it.

    The distinct colours are assigned once, to the palette as it will be
    stored, so the PSNR reported is the PSNR of the file.
    """
    palette = to_eight_bits(centroids[np.argsort(centroids @ LUMA, kind="stable")])
    idx = steps.assign(colours.points, palette / 255.0)
    return palette, idx


def _encode(palette, pixel_idx, shape, out):
    """Stage 6: the palette PNG's bytes, written to ``out`` if given."""
    encoded = png_bytes(
        palette_image(palette / 255.0, pixel_idx, shape), COMPRESS_LEVEL
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(encoded)
    return encoded


def compress_photo(
    path,
    K=16,
    *,
    find_closest_centroids,
    compute_centroids,
    init=None,
    rng=None,
    n_starts=N_STARTS,
    max_iters=3,
    out=None,
    compare_png=True,
    verbose=True,
):
    """Compress a PNG or JPEG photo to K colours with the student's functions.

    The stages: read the photo; find its distinct colours (K-means on them,
    each weighted by its number of pixels, gives the same clustering as on
    every pixel); start from the best of ``n_starts`` short runs on coarse
    boxes of similar colours; iterate on the exact colours; assign each
    colour to the 8-bit palette once and give every pixel its colour's
    entry; encode the palette PNG; report.

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
        distinct colours in [0, 1]; by default a variance split of the boxes,
        the classic palette start (see :mod:`labkit.starts` and
        ``_split_start``).
    rng : numpy.random.Generator, optional
        The randomness of the starts; unseeded if omitted.
    n_starts : int
        How many starts to try; the one with the lowest cost is kept.
    max_iters : int
        Iterations at most on the exact colours (fewer once stable).
    out : str or Path, optional
        Where to write the palette PNG; it is only measured if omitted.
    compare_png : bool
        Also measure the original encoded as a 24-bit PNG.
    verbose : bool
        Print the starts' costs, a line per iteration and a summary.

    Returns
    -------
    CompressionReport
    """
    path = Path(path)
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or not 1 <= K <= 256:
        raise ValueError(f"K must be a whole number from 1 to 256, got {K!r}")
    for name, value, least in (("n_starts", n_starts, 1), ("max_iters", max_iters, 0)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, np.integer))
            or value < least
        ):
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    steps = StudentSteps(find_closest_centroids, compute_centroids, K)
    rng = np.random.default_rng() if rng is None else rng

    pixels = _read(path)
    height, width = pixels.shape[:2]
    colours = _distinct(pixels)
    if verbose:
        print(
            f"{path.name}: {width} x {height} = {height * width:,} pixels, "
            f"{len(colours.levels):,} distinct colours"
        )
    if K > len(colours.levels):
        raise ValueError(
            f"{path.name} has only {len(colours.levels)} distinct colours: "
            f"choose K <= {len(colours.levels)}"
        )
    start = _start(colours, K, steps, rng, init, n_starts, verbose)
    centroids = _iterate(colours, start, steps, max_iters, verbose)
    palette, idx = _assign(colours, centroids, steps)
    out = None if out is None else Path(out)
    pixel_idx = idx.astype(np.uint8)[colours.inverse]
    encoded = _encode(palette, pixel_idx, (height, width), out)

    mse = distortion(colours.levels, idx, palette, colours.counts) / 3
    report = CompressionReport(
        path=path,
        out=out,
        height=height,
        width=width,
        distinct_colours=len(colours.levels),
        K=K,
        file_bytes=path.stat().st_size,
        png_bytes=len(png_bytes(Image.fromarray(pixels))) if compare_png else None,
        palette_png_bytes=len(encoded),
        psnr_db=psnr_of_mse(mse, peak=255),
    )
    if verbose:
        print("\n".join(report.lines()[1:]))
    return report
