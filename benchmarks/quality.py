"""Quality at K = 16: the lab's pipeline against Pillow, libimagequant and pngquant.

    apt-get install pngquant && pip install -r requirements-bench.txt
    python benchmarks/quality.py [SEEDS]          # 5 seeds of the lab by default

PSNR of each 16-colour file as saved (8-bit palette PNG) against the original,
computed the same way for every method (``utils.psnr`` on the 8-bit scale,
both files decoded), and the file's size.  No method dithers.  The photos:
the lab photo (128 x 128) and the two 12-megapixel photos of
``benchmarks/photos.py``.  "Lab" is ``utils.compress_photo`` with the
reference solutions and its defaults, for seeds 0 to SEEDS - 1: its worst and
median PSNR are shown.  Times are measured in ``benchmarks/pngquant.py``, in
fresh processes taken in turn.
"""

import io
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import imagequant
import numpy as np
from common import reference_steps
from photos import photos
from PIL import Image

import utils
from labkit.data import read_pixels

K = 16
SEEDS = 5


def decoded_psnr(original, encoded):
    with Image.open(io.BytesIO(encoded)) as image:
        compressed = np.asarray(image.convert("RGBA").convert("RGB"))
    return utils.psnr(original, compressed, peak=255)


def lab_files(path, steps, seeds, folder):
    for seed in range(seeds):
        out = Path(folder) / f"lab_{seed}.png"
        utils.compress_photo(
            path,
            K,
            find_closest_centroids=steps["find_closest_centroids"],
            compute_centroids=steps["compute_centroids"],
            rng=np.random.default_rng(seed),
            out=out,
            compare_png=False,
            verbose=False,
        )
        yield out.read_bytes()


def pillow(image, method):
    quantized = image.quantize(colors=K, method=method, dither=Image.Dither.NONE)
    return utils.png_bytes(quantized)


def libimagequant(image):
    quantized = imagequant.quantize_pil_image(
        image.convert("RGBA"), dithering_level=0.0, max_colors=K
    )
    return utils.png_bytes(quantized)


def pngquant(path, folder):
    out = Path(folder) / "pngquant.png"
    subprocess.run(
        ["pngquant", "--nofs", "--speed", "3", str(K), "--force", "--output", str(out)]
        + [str(path)],
        check=True,
    )
    return out.read_bytes()


def rows(path, steps, seeds, folder):
    original, _ = read_pixels(path)
    image = Image.fromarray(original)
    lab = [
        (decoded_psnr(original, b), len(b))
        for b in lab_files(path, steps, seeds, folder)
    ]
    worst = min(lab)
    yield (
        f"lab: compress_photo, worst of {seeds} seeds (median PSNR "
        f"{statistics.median(p for p, _ in lab):.2f})",
        *worst,
    )
    for name, method in (
        ("Pillow quantize, median cut", Image.Quantize.MEDIANCUT),
        ("Pillow quantize, max coverage", Image.Quantize.MAXCOVERAGE),
        ("Pillow quantize, fast octree", Image.Quantize.FASTOCTREE),
    ):
        encoded = pillow(image, method)
        yield name, decoded_psnr(original, encoded), len(encoded)
    encoded = libimagequant(image)
    yield (
        "libimagequant (imagequant package)",
        decoded_psnr(original, encoded),
        len(encoded),
    )
    encoded = pngquant(path, folder)
    yield "pngquant --nofs --speed 3 16", decoded_psnr(original, encoded), len(encoded)


def main(seeds):
    steps = reference_steps()
    photo_paths = {"lab photo, 128 x 128": utils.PHOTO_PATH}
    photo_paths.update(
        {f"12 MP {name}, 4000 x 3000": path for name, path in photos().items()}
    )
    print("| photo | method | PSNR (dB) | file bytes |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, path in photo_paths.items():
            for name, value, size in rows(path, steps, seeds, folder):
                print(f"| {label} | {name} | {value:.2f} | {size:,} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else SEEDS)
