"""Assignment step: the reference find_closest_centroids against a double loop.

    python benchmarks/assignment.py [ROUNDS]      # 5 rounds by default

16,384 pixels (the lab photo) and 16 centroids.  The double loop is the
student-style version in tests/implementations.py (a distance per (example,
centroid) pair with np.linalg.norm).  Each side runs in a fresh process, the
two take turns, and each process reports its best of several calls.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from common import in_fresh_process, interleaved, ratios, reference_steps, show

import utils

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from implementations import closest_double_loop_norm  # noqa: E402

ROUNDS = 5
CALLS = {"loop": 3, "reference": 200}


def problem():
    X = utils.load_image(utils.PHOTO_PATH).reshape(-1, 3)
    rng = np.random.default_rng(0)
    return X, X[rng.choice(len(X), 16, replace=False)]


def run(which):
    X, centroids = problem()
    function = (
        closest_double_loop_norm
        if which == "loop"
        else reference_steps()["find_closest_centroids"]
    )
    best = np.inf
    for _ in range(CALLS[which]):
        started = time.perf_counter()
        idx = function(X, centroids)
        best = min(best, time.perf_counter() - started)
    return {"seconds": best, "idx": idx.tolist()}


def main(rounds):
    results = interleaved(
        {
            which: (lambda n, which=which: in_fresh_process(__file__, which))
            for which in CALLS
        },
        rounds,
    )
    loop = [r["seconds"] * 1e3 for r in results["loop"]]
    reference = [r["seconds"] * 1e3 for r in results["reference"]]
    speed_up = ratios(results, "loop", "reference")
    differ = int(
        np.sum(
            np.array(results["loop"][0]["idx"])
            != np.array(results["reference"][0]["idx"])
        )
    )
    X, centroids = problem()
    print(
        f"{len(X):,} pixels x {len(centroids)} centroids, {rounds} rounds of fresh "
        "processes taken in turn; medians (min to max)"
    )
    print("| version | time | speed-up |")
    print("|---|---|---|")
    print(f"| double loop | {show(loop, 'ms', 0)} | 1x |")
    print(
        f"| reference (matrix-product form) | {show(reference, 'ms', 3)} | "
        f"{show(speed_up, 'x', 0)} |"
    )
    print(f"assignments that differ (exact ties broken otherwise): {differ}")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in CALLS:
        print(json.dumps(run(sys.argv[1])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
