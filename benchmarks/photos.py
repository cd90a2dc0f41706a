"""The two 12-megapixel test photos of the benchmarks, built from the lab portrait.

    python benchmarks/photos.py [FOLDER]

* ``grace_hopper_12mp.png``: ``data/grace_hopper.jpg`` enlarged to 4000 x 3000
  with Lanczos filtering (smooth: about a million distinct colours);
* ``grace_hopper_12mp_noisy.png``: the same with seeded Gaussian sensor-like
  noise of standard deviation 4/255 added to every channel, rounded and
  clipped to 8 bits (millions of distinct colours).

Both are written once per folder and reused; without FOLDER they go to
``benchmarks/photos/`` (ignored by git).
"""

import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "grace_hopper.jpg"
DEFAULT_FOLDER = Path(__file__).resolve().parent / "photos"
#: Width and height of the enlarged photo.
SIZE = (4000, 3000)
#: Standard deviation of the added noise, in 8-bit levels.
NOISE_SIGMA = 4.0
NOISE_SEED = 2026
ROWS_AT_ONCE = 500


def smooth_photo(folder=DEFAULT_FOLDER):
    """Write the enlarged portrait as PNG if it is not there yet; return its path."""
    path = Path(folder) / "grace_hopper_12mp.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(SOURCE) as source:
            enlarged = source.convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)
        enlarged.save(path)
    return path


def noisy_photo(folder=DEFAULT_FOLDER):
    """Write the enlarged portrait with seeded noise as PNG; return its path."""
    path = Path(folder) / "grace_hopper_12mp_noisy.png"
    if not path.exists():
        with Image.open(smooth_photo(folder)) as smooth:
            pixels = np.asarray(smooth.convert("RGB"))
        rng = np.random.default_rng(NOISE_SEED)
        noisy = np.empty_like(pixels)
        for top in range(0, pixels.shape[0], ROWS_AT_ONCE):
            rows = slice(top, top + ROWS_AT_ONCE)
            noise = rng.normal(0.0, NOISE_SIGMA, size=pixels[rows].shape)
            noisy[rows] = np.clip(np.rint(pixels[rows] + noise), 0, 255)
        Image.fromarray(noisy).save(path)
    return path


def photos(folder=DEFAULT_FOLDER):
    """Both test photos, by name."""
    return {"smooth": smooth_photo(folder), "noisy": noisy_photo(folder)}


if __name__ == "__main__":
    for name, path in photos(*sys.argv[1:]).items():
        print(f"{name}: {path}")
