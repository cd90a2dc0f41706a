"""compress_photo's start: the variance split against the k-means++ it replaced.

    python benchmarks/photos.py                   # the two 12 MP photos, once
    python benchmarks/start.py [ROUNDS] [REV]     # 5 rounds, REV 471d7a5

The same ``compress_photo`` call (K = 16, the reference solutions, its
defaults, seed = round number) runs on each photo with the lab as it is and
with ``labkit/`` as it was at REV (best of 8 greedy k-means++ starts), each
in a fresh process, taking turns.  Reported per photo: the PSNR of each side
(worst, median and best over the seeds; the file's PSNR, as compress_photo
reports it) and the ratio now / before of the call's time within each round.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, in_fresh_process, interleaved, reference_steps, show, spread
from photos import photos

K = 16
ROUNDS = 5
BEFORE = "471d7a5"


def run(root, path, seed):
    """In a fresh process: compress_photo from the labkit/ under ``root``."""
    import numpy as np

    sys.path.insert(0, str(root))
    from labkit.compression import compress_photo

    assert Path(sys.modules["labkit"].__file__).parent == Path(root) / "labkit"

    steps = reference_steps()
    started = time.perf_counter()
    report = compress_photo(
        path,
        K,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
        rng=np.random.default_rng(int(seed)),
        compare_png=False,
        verbose=False,
    )
    return {"seconds": time.perf_counter() - started, "psnr": report.psnr_db}


def main(rounds, revision):
    paths = {
        "lab photo, 128 x 128": ROOT / "data" / "grace_hopper_small.png",
        "lab JPEG, 512 x 600": ROOT / "data" / "grace_hopper.jpg",
        **{f"12 MP {name}": path for name, path in photos().items()},
    }
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "labkit"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        roots = {"variance split (now)": ROOT, f"k-means++ ({revision})": folder}
        print(f"K = {K}, {rounds} rounds per photo, seeds 0 to {rounds - 1}")
        print("| photo | start | PSNR worst / median / best | time of the call |")
        print("|---|---|---|---|")
        for label, path in paths.items():
            sides = {
                name: (
                    lambda n, r=root, p=path: in_fresh_process(__file__, "run", r, p, n)
                )
                for name, root in roots.items()
            }
            results = interleaved(sides, rounds)
            for name, runs in results.items():
                median, low, high = spread(r["psnr"] for r in runs)
                print(
                    f"| {label} | {name} | {low:.2f} / {median:.2f} / {high:.2f} dB "
                    f"| {show([r['seconds'] for r in runs])} |"
                )
            now, before = results.values()
            pairs = zip(now, before, strict=True)
            ratio = [a["seconds"] / b["seconds"] for a, b in pairs]
            print(f"| {label} | time ratio now / before | | {show(ratio, unit='')} |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "run":
        print(json.dumps(run(*sys.argv[2:])))
    else:
        arguments = sys.argv[1:]
        main(
            int(arguments[0]) if arguments else ROUNDS,
            arguments[1] if len(arguments) > 1 else BEFORE,
        )
