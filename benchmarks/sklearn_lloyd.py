"""utils.run_kMeans against scikit-learn's Lloyd K-means on a 12-megapixel photo.

    pip install -r requirements-bench.txt
    python benchmarks/sklearn_lloyd.py [ROUNDS]      # 5 rounds by default

All three get the same pixels of the smooth 12 MP photo (benchmarks/photos.py)
and the same 16 starting centroids, and run 10 Lloyd iterations:
``utils.run_kMeans`` with the reference solutions of the source notebook on
float32 pixels, scikit-learn on float32 and on float64.  Each run is a fresh
process and the three take turns, round after round; times are medians with
their minimum and maximum, and the time ratio is taken within each round.
"""

import json
import sys
import time

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
from photos import smooth_photo

from labkit.data import read_pixels

K = 16
ITERATIONS = 10
ROUNDS = 5


def load(path):
    pixels, _ = read_pixels(path)
    X = (pixels.reshape(-1, 3) / np.float32(255)).astype(np.float32)
    del pixels
    start = X[np.random.default_rng(0).choice(len(X), K, replace=False)]
    return X, start


def run_lab(path):
    import utils

    X, start = load(path)
    steps = reference_steps()
    loaded_mb = peak_memory_mb()
    started = time.perf_counter()
    centroids, idx = utils.run_kMeans(
        X,
        start.astype(np.float64),
        ITERATIONS,
        verbose=False,
        find_closest_centroids=steps["find_closest_centroids"],
        compute_centroids=steps["compute_centroids"],
    )
    seconds = time.perf_counter() - started
    # The exact cost of the result, in float64 over every pixel.
    cost = utils.distortion(X.astype(np.float64), idx, centroids)
    return {
        "seconds": seconds,
        "cost": cost,
        "peak_mb": peak_memory_mb(),
        "loaded_mb": loaded_mb,
        "iterations": ITERATIONS,
    }


def run_sklearn(path, dtype):
    from sklearn.cluster import KMeans

    X, start = load(path)
    X, start = X.astype(dtype, copy=False), start.astype(dtype)
    loaded_mb = peak_memory_mb()
    started = time.perf_counter()
    model = KMeans(
        n_clusters=K,
        init=start,
        n_init=1,
        max_iter=ITERATIONS,
        algorithm="lloyd",
        tol=0.0,
    ).fit(X)
    seconds = time.perf_counter() - started
    X64 = X.astype(np.float64)
    gap = X64 - model.cluster_centers_.astype(np.float64)[model.labels_]
    return {
        "seconds": seconds,
        "cost": float(np.einsum("ij,ij->", gap, gap)) / len(X),
        "peak_mb": peak_memory_mb(),
        "loaded_mb": loaded_mb,
        "iterations": int(model.n_iter_),
    }


def run_exact(path):
    """Plain Lloyd in float64 on every pixel, with full squared distances.

    Independent of the lab's code: no distinct colours, no weights, no
    ``|c|^2 - 2 x.c`` shortcut.
    """
    X, start = load(path)
    X = X.astype(np.float64)
    centroids = start.astype(np.float64)
    rows = 1 << 18

    def assign(centroids):
        idx = np.empty(len(X), dtype=np.intp)
        for top in range(0, len(X), rows):
            gap = X[top : top + rows, None, :] - centroids[None, :, :]
            idx[top : top + rows] = np.argmin((gap * gap).sum(axis=2), axis=1)
        return idx

    for _ in range(ITERATIONS):
        idx = assign(centroids)
        sizes = np.bincount(idx, minlength=K)
        sums = np.stack(
            [np.bincount(idx, weights=X[:, j], minlength=K) for j in range(3)], 1
        )
        moved = sums / np.maximum(sizes, 1)[:, None]
        centroids = np.where(sizes[:, None] > 0, moved, centroids)
    gap = X - centroids[assign(centroids)]
    return {"cost": float(np.einsum("ij,ij->", gap, gap)) / len(X)}


SIDES = {
    "utils.run_kMeans, float32 X": "lab",
    "scikit-learn KMeans, float32 X": "sklearn32",
    "scikit-learn KMeans, float64 X": "sklearn64",
}


def main(rounds):
    path = smooth_photo()
    exact = in_fresh_process(__file__, "exact", path)["cost"]
    results = interleaved(
        {
            label: (lambda n, which=which: in_fresh_process(__file__, which, path))
            for label, which in SIDES.items()
        },
        rounds,
    )
    print(
        f"12,000,000 pixels (4000 x 3000), K = 16, {ITERATIONS} Lloyd iterations, "
        f"{rounds} rounds of fresh processes taken in turn"
    )
    print("| | wall time, median (min to max) | final cost J | peak memory (median) |")
    print("|---|---|---|---|")
    for label, runs in results.items():
        costs = {f"{r['cost']:.9f}" for r in runs}
        print(
            f"| {label} | {show([r['seconds'] for r in runs])} | "
            f"{', '.join(sorted(costs))} | "
            f"{spread([r['peak_mb'] for r in runs])[0]:.0f} MB |"
        )
    lab, sk32, sk64 = SIDES
    print(f"time ratio against float32: {show(ratios(results, lab, sk32), '')}")
    print(f"time ratio against float64: {show(ratios(results, lab, sk64), '')}")
    print(
        f"exact float64 Lloyd on every pixel (plain numpy, not timed): cost "
        f"{exact:.12f}; utils.run_kMeans: {results[lab][0]['cost']:.12f}, relative "
        f"difference {abs(results[lab][0]['cost'] - exact) / exact:.1e}"
    )
    for label in (sk32, sk64):
        ours, theirs = results[lab][0]["cost"], results[label][0]["cost"]
        print(
            f"relative cost difference against {label}: "
            f"{abs(ours - theirs) / theirs:.1e} "
            f"({results[label][0]['iterations']} iterations)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        which, path = sys.argv[1:]
        run = {
            "lab": run_lab,
            "sklearn32": lambda p: run_sklearn(p, np.float32),
            "sklearn64": lambda p: run_sklearn(p, np.float64),
            "exact": run_exact,
        }[which]
        print(json.dumps(run(path)))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
