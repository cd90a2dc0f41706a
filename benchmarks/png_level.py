"""The palette PNG's encoder setting: bytes and time per zlib level.

    python benchmarks/png_level.py

For each 12 MP photo, compress_photo (reference solutions, seed 0) makes the
16-colour image; it is then encoded by Pillow at every zlib level and with
``optimize=True``, with the palette from dark to light (as compress_photo
stores it) and in a shuffled order.  Times are the best of 3 encodings in
this process: a table to choose a setting from, not a comparison of methods.
"""

import io
import tempfile
import time
from pathlib import Path

import numpy as np
from common import reference_steps
from photos import photos
from PIL import Image

from labkit.compression import compress_photo

REPEATS = 3
SETTINGS = [("level", level) for level in (1, 3, 4, 6, 9)] + [("optimize", True)]


def lab_image(path, folder):
    steps = reference_steps()
    out = Path(folder) / "lab.png"
    compress_photo(
        path,
        16,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
        rng=np.random.default_rng(0),
        out=out,
        compare_png=False,
        verbose=False,
    )
    with Image.open(out) as image:
        image.load()
        return image.copy()


def shuffled(image):
    """The same picture with its palette in a seeded random order."""
    order = np.random.default_rng(0).permutation(16)
    palette = np.array(image.getpalette()[:48], dtype=np.uint8).reshape(16, 3)
    indices = np.argsort(order)[np.asarray(image)]
    other = Image.frombytes("P", image.size, indices.astype(np.uint8).tobytes())
    other.putpalette(palette[order].tobytes())
    return other


def encode(image, setting):
    kind, value = setting
    options = {"optimize": True} if kind == "optimize" else {"compress_level": value}
    best, size = np.inf, 0
    for _ in range(REPEATS):
        buffer = io.BytesIO()
        started = time.perf_counter()
        image.save(buffer, format="PNG", **options)
        best = min(best, time.perf_counter() - started)
        size = len(buffer.getvalue())
    return best, size


def main():
    print("| photo | palette order | setting | bytes | time (best of 3) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, path in photos().items():
            image = lab_image(path, folder)
            for order, picture in (
                ("dark to light", image),
                ("shuffled", shuffled(image)),
            ):
                for setting in SETTINGS:
                    seconds, size = encode(picture, setting)
                    name = (
                        "optimize=True"
                        if setting[0] == "optimize"
                        else (f"compress_level={setting[1]}")
                    )
                    print(
                        f"| {label} | {order} | {name} | {size:,} | {seconds:.2f} s |"
                    )


if __name__ == "__main__":
    main()
