"""compress_photo on a 24-megapixel JPEG: time and peak memory.

    python benchmarks/compress_24mp.py [ROUNDS]   # 5 rounds by default

The reference is only reading the same photo as a float image with
utils.load_image, the first step of the naive route (reshape to (h * w, 3)
and run K-means on every pixel).  Each side runs in a fresh process, so each
peak memory is its own, and the two take turns.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import (
    in_fresh_process,
    interleaved,
    peak_memory_mb,
    ratios,
    reference_steps,
    show,
    spread,
)
from PIL import Image

import utils

SIZE = (6000, 4000)
ROUNDS = 5


def make_photo(folder):
    path = Path(folder) / "grace_hopper_24mp.jpg"
    with Image.open(utils.DATA_DIR / "grace_hopper.jpg") as source:
        source.convert("RGB").resize(SIZE, Image.Resampling.LANCZOS).save(
            path, quality=92
        )
    return path


def run_compress(path):
    steps = reference_steps()
    before = peak_memory_mb()
    started = time.perf_counter()
    report = utils.compress_photo(
        path,
        16,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
        rng=np.random.default_rng(0),
        out=Path(path).with_suffix(".16.png"),
        compare_png=False,
        verbose=False,
    )
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_memory_mb(),
        "before_mb": before,
        "psnr": report.psnr_db,
        "colours": report.distinct_colours,
    }


def run_load(path):
    before = peak_memory_mb()
    started = time.perf_counter()
    utils.load_image(path)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_memory_mb(),
        "before_mb": before,
    }


SIDES = {"compress": run_compress, "load": run_load}


def main(rounds):
    with tempfile.TemporaryDirectory() as folder:
        path = make_photo(folder)
        results = interleaved(
            {
                which: (lambda n, which=which: in_fresh_process(__file__, which, path))
                for which in SIDES
            },
            rounds,
        )
    compress, load = results["compress"], results["load"]
    print(
        f"{SIZE[0]} x {SIZE[1]} JPEG, {compress[0]['colours']:,} distinct colours, "
        f"K = 16; {rounds} rounds of fresh processes taken in turn"
    )
    print("| | wall time, median (min to max) | peak memory (before), median |")
    print("|---|---|---|")
    for label, runs in (
        (f"compress_photo, PSNR {compress[0]['psnr']:.2f} dB", compress),
        ("reference: utils.load_image alone", load),
    ):
        print(
            f"| {label} | {show([r['seconds'] for r in runs])} | "
            f"{spread([r['peak_mb'] for r in runs])[0]:.0f} MB "
            f"({spread([r['before_mb'] for r in runs])[0]:.0f} MB) |"
        )
    print(
        f"peak memory ratio {show(ratios(results, 'compress', 'load', 'peak_mb'), '')}"
        f"; time ratio {show(ratios(results, 'compress', 'load'), '')}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in SIDES:
        print(json.dumps(SIDES[sys.argv[1]](sys.argv[2])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
