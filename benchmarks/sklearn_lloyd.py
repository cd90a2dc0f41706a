"""utils.run_kMeans against scikit-learn's Lloyd K-means on a 12-megapixel photo.

    pip install -r requirements-bench.txt
    python benchmarks/sklearn_lloyd.py

Both get the same float32 pixels and the same 16 starting centroids and run
10 Lloyd iterations; each runs in a fresh process so its peak memory is its own.
run_kMeans uses the reference solutions of the source notebook.
"""

import json
import sys
import tempfile
import time

import numpy as np
from common import in_fresh_process, large_photo_path, peak_memory_mb, reference_steps

import utils
from labkit.data import read_pixels

K = 16
ITERATIONS = 10


def load(path):
    pixels, _ = read_pixels(path)
    X = (pixels.reshape(-1, 3) / np.float32(255)).astype(np.float32)
    del pixels
    start = X[np.random.default_rng(0).choice(len(X), K, replace=False)]
    return X, start


def run_lab(path):
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
    cost = utils.distortion(X, idx, centroids)
    return {
        "seconds": seconds,
        "cost": cost,
        "peak_mb": peak_memory_mb(),
        "loaded_mb": loaded_mb,
    }


def run_sklearn(path, dtype=np.float32):
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
    return {
        "seconds": seconds,
        "cost": float(model.inertia_) / len(X),
        "peak_mb": peak_memory_mb(),
        "loaded_mb": loaded_mb,
        "iterations": int(model.n_iter_),
    }


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = large_photo_path(folder)
        lab = in_fresh_process(__file__, "lab", path)
        sk = in_fresh_process(__file__, "sklearn", path)
        sk64 = in_fresh_process(__file__, "sklearn64", path)
    print("12,000,000 pixels (4000 x 3000), K = 16, 10 Lloyd iterations")
    print("| | wall time | final cost J | peak memory (after loading) |")
    print("|---|---|---|---|")
    for name, r in (
        ("utils.run_kMeans, float32 X", lab),
        ("scikit-learn KMeans, float32 X", sk),
        ("scikit-learn KMeans, float64 X", sk64),
    ):
        print(
            f"| {name} | {r['seconds']:.2f} s | {r['cost']:.9f} | "
            f"{r['peak_mb']:.0f} MB ({r['loaded_mb']:.0f} MB) |"
        )
    for label, other in (("float32", sk), ("float64", sk64)):
        relative = abs(lab["cost"] - other["cost"]) / other["cost"]
        print(
            f"against scikit-learn {label}: time ratio "
            f"{lab['seconds'] / other['seconds']:.2f}, peak memory ratio "
            f"{lab['peak_mb'] / other['peak_mb']:.2f}, relative cost difference "
            f"{relative:.1e} ({other['iterations']} iterations)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        run = {
            "lab": run_lab,
            "sklearn": run_sklearn,
            "sklearn64": lambda path: run_sklearn(path, np.float64),
        }[sys.argv[1]]
        print(json.dumps(run(sys.argv[2])))
    else:
        main()
