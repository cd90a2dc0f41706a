"""compress_photo on a 24-megapixel JPEG: time and peak memory.

    python benchmarks/compress_24mp.py

The reference, in its own process in the same run, is only reading the same
photo as a float image with utils.load_image, the first step of the naive
route (reshape to (h * w, 3) and run K-means on every pixel).
"""

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import in_fresh_process, peak_memory_mb, reference_steps
from PIL import Image

import utils

SIZE = (6000, 4000)


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


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = make_photo(folder)
        compress = in_fresh_process(__file__, "compress", path)
        load = in_fresh_process(__file__, "load", path)
    print(
        f"{SIZE[0]} x {SIZE[1]} JPEG, {compress['colours']:,} distinct colours, K = 16"
    )
    print("| | wall time | peak memory (before) |")
    print("|---|---|---|")
    print(
        f"| compress_photo, 10 iterations, PSNR {compress['psnr']:.2f} dB | "
        f"{compress['seconds']:.1f} s | {compress['peak_mb']:.0f} MB "
        f"({compress['before_mb']:.0f} MB) |"
    )
    print(
        f"| reference: utils.load_image alone | {load['seconds']:.1f} s | "
        f"{load['peak_mb']:.0f} MB ({load['before_mb']:.0f} MB) |"
    )
    print(f"peak memory ratio {compress['peak_mb'] / load['peak_mb']:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        run = {"compress": run_compress, "load": run_load}[sys.argv[1]]
        print(json.dumps(run(sys.argv[2])))
    else:
        main()
