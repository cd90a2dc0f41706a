"""compress_photo against pngquant on the two 12-megapixel photos.

    apt-get install pngquant && pip install -r requirements-bench.txt
    python benchmarks/pngquant.py [ROUNDS]        # 10 rounds by default

Both sides go end to end, from the 12 MP PNG on disk to the 16-colour palette
PNG on disk, and take turns in fresh processes (lab, pngquant, lab, ...).
The lab is ``compress_photo`` (``utils.compress_photo``, imported from
``labkit.compression`` so that its process does not load matplotlib) with the
reference solutions of the source notebook and its defaults, seeded with the
round number, so its worst PSNR is the worst over that many seeds; its time
is the call, from reading the photo to writing the PNG (the whole process,
with interpreter start and imports, is reported beside it).  pngquant is
``pngquant --nofs --speed 3 16`` (no dithering), timed as a whole process.
After the timing, both files are decoded and compared with the original by
``psnr`` (``utils.psnr``) on the 8-bit scale.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import (
    in_fresh_process,
    interleaved,
    ratios,
    reference_steps,
    show,
    spread,
)
from photos import photos

from labkit.compression import compress_photo, psnr
from labkit.data import read_pixels

K = 16
ROUNDS = 10
PNGQUANT = ("pngquant", "--nofs", "--speed", "3", str(K))


def run_lab(path, out, seed):
    steps = reference_steps()
    started = time.perf_counter()
    compress_photo(
        path,
        K,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
        rng=np.random.default_rng(int(seed)),
        out=out,
        compare_png=False,
        verbose=False,
    )
    return {"seconds": time.perf_counter() - started}


def run_pngquant(path, out):
    started = time.perf_counter()
    subprocess.run([*PNGQUANT, "--force", "--output", str(out), str(path)], check=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "process_seconds": seconds}


def file_psnr(original, path):
    compressed, _ = read_pixels(path)
    return psnr(original, compressed, peak=255)


def compare(path, folder, rounds):
    original, _ = read_pixels(path)
    outputs = {"lab": Path(folder) / "lab.png", "pngquant": Path(folder) / "pq.png"}

    def lab(number):
        result = in_fresh_process(__file__, "lab", path, outputs["lab"], number)
        return measured(result, outputs["lab"])

    def pngquant(number):
        return measured(run_pngquant(path, outputs["pngquant"]), outputs["pngquant"])

    def measured(result, out):
        result["psnr"] = file_psnr(original, out)
        result["bytes"] = out.stat().st_size
        return result

    return interleaved({"lab": lab, "pngquant": pngquant}, rounds)


def main(rounds):
    if shutil.which("pngquant") is None:
        sys.exit("pngquant is not installed (Debian: apt-get install pngquant)")
    version = subprocess.run(
        ["pngquant", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"pngquant {version}; {rounds} rounds per photo, lab seeds 0 to {rounds - 1}")
    print(
        "| photo | method | time, median (min to max) | whole process | "
        "PSNR worst / median / best | bytes (median) |"
    )
    print("|---|---|---|---|---|---|")
    summary = []
    with tempfile.TemporaryDirectory() as folder:
        for label, path in photos().items():
            results = compare(path, folder, rounds)
            for name, runs in results.items():
                psnrs = [r["psnr"] for r in runs]
                median, low, high = spread(psnrs)
                print(
                    f"| {label} | {name} | {show([r['seconds'] for r in runs])} | "
                    f"{show([r['process_seconds'] for r in runs])} | "
                    f"{low:.2f} / {median:.2f} / {high:.2f} dB | "
                    f"{spread([r['bytes'] for r in runs])[0]:,.0f} |"
                )
            worst_lab = min(r["psnr"] for r in results["lab"])
            best_pq = max(r["psnr"] for r in results["pngquant"])
            summary.append(
                f"{label}: time ratio lab / pngquant "
                f"{show(ratios(results, 'lab', 'pngquant'), unit='')}; whole "
                "process "
                f"{show(ratios(results, 'lab', 'pngquant', 'process_seconds'), '')}; "
                f"worst lab PSNR minus pngquant's: {worst_lab - best_pq:+.2f} dB"
            )
    print("\n".join(summary))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "lab":
        print(json.dumps(run_lab(*sys.argv[2:])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
