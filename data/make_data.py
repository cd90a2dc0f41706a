"""Regenerate the lab's data files from sources the licence allows us to use.

Run from the repository root::

    python data/make_data.py

It writes three files next to this script:

``ex7data2.mat``
    A MATLAB file with one variable ``X`` (300, 2) float64: three synthetic
    blobs of 100 points each, drawn from a seeded generator and re-centred so
    that each blob's sample mean is exactly its target centre.
``grace_hopper_small.png``
    A 128x128 8-bit RGB PNG made from ``grace_hopper.jpg``, the photograph of
    Rear Admiral Grace Hopper that ships with matplotlib's sample data
    (a U.S. Navy photograph, in the public domain).
``grace_hopper.jpg``
    That photograph at full size (512x600), copied byte for byte, for the
    lab's "your own photo" section.

Both files are deterministic for the pinned versions in ``requirements.txt``;
``tests/test_data.py`` checks that the committed files are what this script
makes.
"""

from pathlib import Path

import numpy as np
import scipy.io
from matplotlib import cbook
from PIL import Image

DATA_DIR = Path(__file__).resolve().parent
POINTS_FILE = DATA_DIR / "ex7data2.mat"
PHOTO_FILE = DATA_DIR / "grace_hopper_small.png"
FULL_PHOTO_FILE = DATA_DIR / "grace_hopper.jpg"

#: Target centre of each blob; each blob's sample mean is moved exactly here.
BLOB_CENTRES = np.array([[1.95, 5.03], [3.04, 1.02], [6.03, 3.00]])
#: Standard deviation of each blob along x and y.
BLOB_SPREAD = np.array([0.6, 0.5])
POINTS_PER_BLOB = 100
POINTS_SEED = 2028

PHOTO_SOURCE = "grace_hopper.jpg"
#: Square crop (left, upper, right, lower) of the 512x600 source, around the face.
PHOTO_CROP = (0, 24, 512, 536)
PHOTO_SIZE = (128, 128)


def make_points():
    """Return the (300, 2) float64 array stored as ``X`` in ``ex7data2.mat``."""
    rng = np.random.default_rng(POINTS_SEED)
    blobs = []
    for centre in BLOB_CENTRES:
        offsets = rng.normal(size=(POINTS_PER_BLOB, 2)) * BLOB_SPREAD
        blobs.append(offsets - offsets.mean(axis=0) + centre)
    points = np.concatenate(blobs)
    return points[rng.permutation(len(points))]


def make_photo():
    """Return the lab photo as a (128, 128, 3) uint8 array."""
    with Image.open(cbook.get_sample_data(PHOTO_SOURCE, asfileobj=False)) as source:
        photo = source.convert("RGB").crop(PHOTO_CROP)
        photo = photo.resize(PHOTO_SIZE, Image.Resampling.LANCZOS)
    return np.asarray(photo, dtype=np.uint8)


def full_photo_bytes():
    """Return the bytes of the full-size source photograph."""
    return Path(cbook.get_sample_data(PHOTO_SOURCE, asfileobj=False)).read_bytes()


def main():
    scipy.io.savemat(POINTS_FILE, {"X": make_points()})
    Image.fromarray(make_photo()).save(PHOTO_FILE, optimize=True)
    FULL_PHOTO_FILE.write_bytes(full_photo_bytes())
    names = ", ".join(f.name for f in (POINTS_FILE, PHOTO_FILE, FULL_PHOTO_FILE))
    print(f"wrote {names} in {DATA_DIR}")


if __name__ == "__main__":
    main()
