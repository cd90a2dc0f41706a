"""Quality at K = 16: the lab's best pipeline against Pillow and libimagequant.

    pip install -r requirements-bench.txt
    python benchmarks/quality.py

PSNR of the 16-colour image as saved (8-bit palette) against the original,
and wall time, on the lab photo (128 x 128) and a 12-megapixel photo, all in
this run.  No method dithers.  "Lab" is compress_photo with the reference
solutions: k-means++ start and iterations until the cost stops falling.
"""

import io
import math
import tempfile
import time

import imagequant
import numpy as np
from common import large_photo_path, reference_steps
from PIL import Image

import utils

K = 16


def psnr_8bit(original, quantized):
    error = original.astype(np.float64) - np.asarray(
        quantized.convert("RGB"), np.float64
    )
    mse = float(np.mean(error * error))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def lab_pipeline(path, steps, iterations):
    report = utils.compress_photo(
        path,
        K,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
        init=steps["kMeans_plusplus_init"],
        rng=np.random.default_rng(0),
        max_iters=iterations,
        compare_png=False,
        verbose=False,
    )
    return report.psnr_db


def converged_iterations(path, steps):
    """Iterations after which 10 more change the PSNR by less than 0.01 dB."""
    iterations, previous = 10, lab_pipeline(path, steps, 10)
    while iterations < 200:
        current = lab_pipeline(path, steps, iterations + 10)
        if current - previous < 0.01:
            return iterations
        iterations, previous = iterations + 10, current
    return iterations


def pillow(method):
    def quantize(image):
        return image.quantize(colors=K, method=method, dither=Image.Dither.NONE)

    return quantize


def libimagequant(image):
    return imagequant.quantize_pil_image(
        image.convert("RGBA"), dithering_level=0.0, max_colors=K
    )


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def measure(path, steps):
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    original = np.asarray(image)
    rows = []
    iterations = converged_iterations(path, steps)
    seconds, value = timed(lab_pipeline, path, steps, iterations)
    rows.append((f"lab: k-means++, {iterations} iterations", value, seconds))
    for name, method in (
        ("Pillow quantize, median cut", Image.Quantize.MEDIANCUT),
        ("Pillow quantize, max coverage", Image.Quantize.MAXCOVERAGE),
        ("Pillow quantize, fast octree", Image.Quantize.FASTOCTREE),
    ):
        seconds, quantized = timed(pillow(method), image)
        rows.append((name, psnr_8bit(original, quantized), seconds))
    seconds, quantized = timed(libimagequant, image)
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG")
    rows.append(
        ("libimagequant (pngquant's library)", psnr_8bit(original, quantized), seconds)
    )
    return rows


def main():
    steps = reference_steps()
    with tempfile.TemporaryDirectory() as folder:
        photos = {
            "lab photo, 128 x 128": utils.PHOTO_PATH,
            "12 MP photo, 4000 x 3000": large_photo_path(folder),
        }
        print("| photo | method | PSNR (dB) | time |")
        print("|---|---|---|---|")
        for label, path in photos.items():
            for name, value, seconds in measure(path, steps):
                print(f"| {label} | {name} | {value:.2f} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
