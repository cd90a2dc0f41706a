"""The committed data files are what data/make_data.py makes, and fit the lab."""

import hashlib
import importlib.util

import numpy as np
import pytest
import scipy.io
from PIL import Image

import utils

SCRIPT = utils.DATA_DIR / "make_data.py"


@pytest.fixture(scope="module")
def make_data():
    spec = importlib.util.spec_from_file_location("make_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sha256(array):
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def test_points_file_holds_one_variable_X():
    contents = scipy.io.loadmat(utils.POINTS_PATH)
    variables = [name for name in contents if not name.startswith("__")]
    assert variables == ["X"]
    assert contents["X"].shape == (300, 2)
    assert contents["X"].dtype == np.float64


def test_points_file_is_what_the_script_makes(make_data):
    committed = scipy.io.loadmat(utils.POINTS_PATH)["X"]
    assert sha256(committed) == sha256(make_data.make_points())


def test_points_form_three_blobs_of_100_around_the_specified_centres():
    X = utils.load_data()
    centres = np.array([[1.95, 5.03], [3.04, 1.02], [6.03, 3.00]])
    nearest = np.argmin(((X[:, None, :] - centres) ** 2).sum(axis=2), axis=1)
    assert np.bincount(nearest, minlength=3).tolist() == [100, 100, 100]
    for k, centre in enumerate(centres):
        np.testing.assert_allclose(X[nearest == k].mean(axis=0), centre, atol=1e-9)


def test_photo_is_a_128_pixel_8_bit_rgb_png():
    with Image.open(utils.PHOTO_PATH) as photo:
        assert photo.format == "PNG"
        assert photo.mode == "RGB"
        assert photo.size == (128, 128)


def test_photo_is_what_the_script_makes(make_data):
    with Image.open(utils.PHOTO_PATH) as photo:
        committed = np.asarray(photo)
    made = make_data.make_photo()
    assert made.dtype == np.uint8
    assert made.shape == (128, 128, 3)
    assert sha256(committed) == sha256(made)


def test_photo_is_a_real_photograph_with_many_colours():
    pixels = np.asarray(Image.open(utils.PHOTO_PATH)).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 5000


def test_full_photo_is_the_matplotlib_sample_byte_for_byte(make_data):
    committed = (utils.DATA_DIR / "grace_hopper.jpg").read_bytes()
    assert (
        hashlib.sha256(committed).digest()
        == hashlib.sha256(make_data.full_photo_bytes()).digest()
    )
    with Image.open(utils.DATA_DIR / "grace_hopper.jpg") as photo:
        assert (photo.format, photo.size) == ("JPEG", (512, 600))
