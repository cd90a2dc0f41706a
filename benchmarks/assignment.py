"""Assignment step: the reference find_closest_centroids against the hint's loops.

    python benchmarks/assignment.py

16,384 pixels (the lab photo) and 16 centroids, both timed in this run.
"""

import numpy as np
from common import best_time, reference_steps

import utils


def hint_double_loop(X, centroids):
    """Hint 1's version: a distance per (example, centroid) pair."""
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distance = np.zeros(centroids.shape[0])
        for k in range(centroids.shape[0]):
            distance[k] = np.linalg.norm(X[i] - centroids[k])
        idx[i] = np.argmin(distance)
    return idx


def main():
    X = utils.load_image(utils.PHOTO_PATH).reshape(-1, 3)
    rng = np.random.default_rng(0)
    centroids = X[rng.choice(len(X), 16, replace=False)]
    reference = reference_steps()["find_closest_centroids"]
    loop_seconds, loop_idx = best_time(lambda: hint_double_loop(X, centroids), 3)
    fast_seconds, fast_idx = best_time(lambda: reference(X, centroids), 200)
    differ = int(np.sum(loop_idx != fast_idx))
    print(f"{len(X):,} pixels x {len(centroids)} centroids")
    print("| version | time | speed-up |")
    print("|---|---|---|")
    print(f"| hint's double loop | {loop_seconds * 1e3:.0f} ms | 1x |")
    print(
        f"| reference (matrix-product form) | {fast_seconds * 1e3:.3f} ms | "
        f"{loop_seconds / fast_seconds:,.0f}x |"
    )
    print(f"assignments that differ (exact ties broken otherwise): {differ}")


if __name__ == "__main__":
    main()
