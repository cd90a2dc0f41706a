"""utils.py: loading data and images, the K-means driver, and the plots."""

import ast

import implementations as impl
import nbformat
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

import utils
from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK

LAB_START = np.array([[3.0, 3.0], [6.0, 2.0], [8.0, 5.0]])
BLOB_CENTRES = np.array([[1.95, 5.03], [3.04, 1.02], [6.03, 3.00]])
#: Loop versions of the two steps, written as a student might.
loop_closest = impl.closest_loop_broadcast
loop_means = impl.centroids_loop_mean
STEPS = {"find_closest_centroids": loop_closest, "compute_centroids": loop_means}


# ---------------------------------------------------------------- load_data


def test_load_data_returns_the_300_points():
    X = utils.load_data()
    assert X.shape == (300, 2)
    assert X.dtype == np.float64


def test_load_data_names_a_missing_variable(tmp_path):
    import scipy.io

    path = tmp_path / "other.mat"
    scipy.io.savemat(path, {"Y": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="no variable named 'X'"):
        utils.load_data(path)


# ---------------------------------------------------------------- load_image


def save(tmp_path, name, array, mode=None, **kwargs):
    path = tmp_path / name
    image = (
        Image.fromarray(array) if mode is None else Image.fromarray(array).convert(mode)
    )
    image.save(path, **kwargs)
    return path


def test_load_image_reads_the_lab_photo_in_unit_range():
    image = utils.load_image(utils.PHOTO_PATH)
    assert image.shape == (128, 128, 3)
    assert image.dtype == np.float64
    assert image.min() >= 0.0 and image.max() <= 1.0
    raw = np.asarray(Image.open(utils.PHOTO_PATH))
    np.testing.assert_array_equal(np.round(image * 255).astype(np.uint8), raw)


def test_load_image_rescales_8_bit_rgb(tmp_path):
    pixels = np.array([[[0, 51, 255], [255, 102, 0]]], dtype=np.uint8)
    image = utils.load_image(save(tmp_path, "rgb.png", pixels))
    np.testing.assert_allclose(image, [[[0, 0.2, 1.0], [1.0, 0.4, 0.0]]])


def test_load_image_drops_alpha(tmp_path):
    pixels = np.array([[[10, 20, 30, 0], [40, 50, 60, 255]]], dtype=np.uint8)
    image = utils.load_image(save(tmp_path, "rgba.png", pixels))
    np.testing.assert_allclose(image * 255, [[[10, 20, 30], [40, 50, 60]]])


def test_load_image_expands_grey_to_three_channels(tmp_path):
    pixels = np.array([[0, 128, 255]], dtype=np.uint8)
    image = utils.load_image(save(tmp_path, "grey.png", pixels))
    assert image.shape == (1, 3, 3)
    np.testing.assert_allclose(image[0, :, 0] * 255, [0, 128, 255])
    np.testing.assert_array_equal(image[..., 0], image[..., 2])


def test_load_image_reads_16_bit_grey(tmp_path):
    pixels = np.array([[0, 32768, 65535]], dtype=np.uint16)
    path = tmp_path / "grey16.png"
    Image.fromarray(pixels).save(path)
    image = utils.load_image(path)
    np.testing.assert_allclose(image[0, :, 1], [0.0, 32768 / 65535, 1.0])


def test_load_image_reads_jpeg(tmp_path):
    pixels = np.full((8, 8, 3), 200, dtype=np.uint8)
    image = utils.load_image(save(tmp_path, "flat.jpg", pixels, quality=95))
    assert image.shape == (8, 8, 3)
    np.testing.assert_allclose(image, 200 / 255, atol=3 / 255)


def test_load_image_applies_exif_rotation(tmp_path):
    pixels = np.zeros((2, 4, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    path = tmp_path / "rotated.jpg"
    Image.fromarray(pixels).save(path, exif=exif)
    assert utils.load_image(path).shape == (4, 2, 3)


def test_load_image_rejects_other_formats(tmp_path):
    path = save(tmp_path, "picture.gif", np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="GIF image; the lab reads PNG or JPEG"):
        utils.load_image(path)


def test_load_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    with pytest.raises(ValueError, match="not an image"):
        utils.load_image(path)


def test_load_image_rejects_a_truncated_png(tmp_path):
    good = save(tmp_path, "good.png", np.zeros((64, 64, 3), dtype=np.uint8))
    broken = tmp_path / "broken.png"
    broken.write_bytes(good.read_bytes()[:60])
    with pytest.raises(ValueError, match="could not be read"):
        utils.load_image(broken)


def test_load_image_rejects_tiff(tmp_path):
    path = tmp_path / "float.tif"
    Image.fromarray(np.zeros((2, 2), dtype=np.float32)).save(path)
    with pytest.raises(ValueError, match="TIFF image"):
        utils.load_image(path)


def test_load_image_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        utils.load_image(tmp_path / "nowhere.png")


# ---------------------------------------------------------------- run_kMeans


def test_run_kMeans_finds_the_three_blobs_from_the_lab_start(capsys):
    X = utils.load_data()
    centroids, idx = utils.run_kMeans(X, LAB_START, max_iters=10, **STEPS)
    # The data are three blobs whose sample means are exactly BLOB_CENTRES.
    np.testing.assert_allclose(centroids, BLOB_CENTRES, atol=1e-9)
    assert np.bincount(idx).tolist() == [100, 100, 100]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("K-means iteration 1/10: cost ")
    costs = [float(line.rsplit(" ", 1)[1]) for line in lines]
    assert all(a >= b for a, b in zip(costs, costs[1:], strict=False))


def test_run_kMeans_converges_in_under_ten_iterations():
    X = utils.load_data()
    centroids, _ = utils.run_kMeans(X, LAB_START, max_iters=9, verbose=False, **STEPS)
    np.testing.assert_allclose(centroids, BLOB_CENTRES, atol=1e-9)


def test_run_kMeans_returns_idx_of_the_final_centroids():
    X = utils.load_data()
    centroids, idx = utils.run_kMeans(X, LAB_START, max_iters=2, verbose=False, **STEPS)
    np.testing.assert_array_equal(idx, loop_closest(X, centroids))


def test_run_kMeans_keeps_an_empty_clusters_centroid(capsys):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    start = np.array([[0.0, 0.0], [100.0, 100.0]])
    centroids, idx = utils.run_kMeans(X, start, max_iters=3, **STEPS)
    np.testing.assert_allclose(centroids, [[1 / 3, 1 / 3], [100.0, 100.0]])
    assert idx.tolist() == [0, 0, 0]
    assert "1 empty cluster(s) kept in place" in capsys.readouterr().out


def test_run_kMeans_uses_the_functions_it_is_given():
    calls = []

    def closest(X, centroids):
        calls.append("closest")
        return loop_closest(X, centroids)

    def means(X, idx, K):
        calls.append("means")
        return loop_means(X, idx, K)

    utils.run_kMeans(
        utils.load_data(),
        LAB_START,
        max_iters=2,
        verbose=False,
        find_closest_centroids=closest,
        compute_centroids=means,
    )
    assert calls == ["closest", "means", "closest", "means", "closest"]


def test_run_kMeans_does_not_modify_its_inputs():
    X = utils.load_data()
    X_before, start_before = X.copy(), LAB_START.copy()
    utils.run_kMeans(X, LAB_START, max_iters=3, verbose=False, **STEPS)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(LAB_START, start_before)


def test_run_kMeans_stops_a_step_that_writes_into_X():
    def centring_means(X, idx, K):
        X -= X.mean(axis=0)
        return loop_means(X, idx, K)

    with pytest.raises(
        ValueError, match="compute_centroids tried to change an array it was given"
    ):
        utils.run_kMeans(
            utils.load_data(),
            LAB_START,
            verbose=False,
            find_closest_centroids=loop_closest,
            compute_centroids=centring_means,
        )


def test_run_kMeans_needs_both_functions():
    with pytest.raises(TypeError, match="compute_centroids"):
        utils.run_kMeans(
            utils.load_data(), LAB_START, find_closest_centroids=loop_closest
        )


@pytest.mark.parametrize(
    ("X", "start", "message"),
    [
        (np.zeros(5), LAB_START, r"X must be a 2-D array of shape \(m, n\)"),
        (np.zeros((5, 3)), LAB_START, r"shape \(K, 3\) to match X's 3 features"),
        (np.full((5, 2), np.nan), LAB_START, "NaN or infinity"),
        (np.array([["a", "b"]]), LAB_START, "must hold numbers"),
    ],
    ids=["1-D X", "centroids of the wrong width", "NaN in X", "strings"],
)
def test_run_kMeans_rejects_bad_input(X, start, message):
    with pytest.raises(ValueError, match=message):
        utils.run_kMeans(X, start, verbose=False, **STEPS)


@pytest.mark.parametrize(
    ("closest", "message"),
    [
        (lambda X, c: loop_closest(X, c).astype(float), "must hold integers"),
        (lambda X, c: loop_closest(X, c)[:, None], r"must have shape \(300,\)"),
        (lambda X, c: loop_closest(X, c) + 1, r"indices 0\.\.2"),
    ],
    ids=["float idx", "column idx", "1-based idx"],
)
def test_run_kMeans_names_a_bad_result_of_find_closest_centroids(closest, message):
    with pytest.raises(ValueError, match=message):
        utils.run_kMeans(
            utils.load_data(),
            LAB_START,
            verbose=False,
            find_closest_centroids=closest,
            compute_centroids=loop_means,
        )


@pytest.mark.parametrize("which", ["find_closest_centroids", "compute_centroids"])
def test_run_kMeans_names_a_missing_return(which):
    steps = dict(STEPS)
    steps[which] = lambda *args: None
    with pytest.raises(ValueError, match=f"{which} returned None: is its return line"):
        utils.run_kMeans(utils.load_data(), LAB_START, verbose=False, **steps)


def test_run_kMeans_says_when_a_bad_result_came_from_a_chunk_of_a_large_X():
    from labkit.kmeans import CHUNK_ROWS

    X = np.random.default_rng(0).random((CHUNK_ROWS + 10, 2))
    with pytest.raises(ValueError) as caught:
        utils.run_kMeans(
            X,
            LAB_START,
            verbose=False,
            find_closest_centroids=lambda X, c: np.zeros((len(X), 1), dtype=int),
            compute_centroids=loop_means,
        )
    message = str(caught.value)
    assert f"for a chunk of {CHUNK_ROWS:,} rows of X" in message
    assert f"must have shape ({CHUNK_ROWS},), got shape ({CHUNK_ROWS}, 1)" in message


def test_run_kMeans_names_a_bad_result_of_compute_centroids():
    with pytest.raises(
        ValueError, match=r"must have shape \(K, n\) = \(3, 2\) .* got shape \(2, 2\)"
    ):
        utils.run_kMeans(
            utils.load_data(),
            LAB_START,
            verbose=False,
            find_closest_centroids=loop_closest,
            compute_centroids=lambda X, idx, K: loop_means(X, idx, K)[:2],
        )


def test_distortion_is_the_mean_squared_distance():
    X = np.array([[0.0, 0.0], [3.0, 4.0]])
    # Both points assigned to the origin: (0 + 25) / 2.
    assert utils.distortion(X, np.array([0, 0]), np.array([[0.0, 0.0]])) == 12.5


# ---------------------------------------------------------------- plots


def test_plot_progress_draws_paths_with_title_and_labels():
    X = utils.load_data()
    history = np.stack([LAB_START, LAB_START + 0.5, BLOB_CENTRES])
    ax = utils.plot_progress_kMeans(X, history, loop_closest(X, BLOB_CENTRES))
    assert ax.get_title() == "Centroid paths over 2 iterations"
    assert ax.get_xlabel() and ax.get_ylabel()
    # One path line and one end marker per centroid.
    assert len(ax.lines) == 6


def test_plot_data_points_colours_any_number_of_clusters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    idx = np.arange(200) % 25
    ax = utils.plot_data_points(X, idx, 25)
    colours = np.concatenate([c.get_facecolors() for c in ax.collections])
    assert len(np.unique(colours, axis=0)) == 25


def test_plot_helpers_draw_on_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    X = utils.load_data()
    assert utils.plot_data_points(X, loop_closest(X, LAB_START), ax=ax) is ax


def test_plot_kMeans_RGB_uses_a_3d_axes_with_labels():
    rng = np.random.default_rng(1)
    X = rng.random((500, 3))
    centroids = X[:16]
    ax = utils.plot_kMeans_RGB(X, centroids, loop_closest(X, centroids), 16)
    assert ax.name == "3d"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("R", "G", "B")
    assert "16 centroids" in ax.get_title()


def test_plot_kMeans_RGB_rejects_a_2d_axes_and_2d_pixels():
    rng = np.random.default_rng(2)
    X = rng.random((50, 3))
    idx = loop_closest(X, X[:4])
    with pytest.raises(ValueError, match="3-D axes"):
        utils.plot_kMeans_RGB(X, X[:4], idx, ax=Figure().add_subplot())
    with pytest.raises(ValueError, match=r"shape \(m, 3\)"):
        utils.plot_kMeans_RGB(X[:, :2], X[:4, :2], idx)


def test_show_centroid_colours_shows_one_swatch_per_centroid():
    palette = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    ax = utils.show_centroid_colours(palette)
    shown = ax.images[0].get_array()
    assert shown.shape == (1, 3, 3)
    np.testing.assert_allclose(shown[0], palette)
    assert ax.get_title() == "The 3 centroid colours"


@pytest.mark.parametrize(
    "path", [SOURCE_NOTEBOOK, STUDENT_NOTEBOOK], ids=["source", "student"]
)
def test_every_name_the_notebooks_take_from_utils_exists(path):
    """The notebooks' spellings (show_centroid_colors among them) are in utils."""
    used = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            code = "\n".join(line for line in lines if not line.startswith(("%", "!")))
            used |= {
                node.attr
                for node in ast.walk(ast.parse(code))
                if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "utils"
            }
    assert "load_data" in used, "the notebook's calls are found"
    assert not {name for name in used if not hasattr(utils, name)}


def test_show_compression_titles_both_images():
    image = np.zeros((4, 4, 3))
    left, right = utils.show_compression(image, image, 16)
    assert (left.get_title(), right.get_title()) == (
        "Original",
        "Compressed with 16 colours",
    )
    with pytest.raises(ValueError, match="original's shape"):
        utils.show_compression(image, image[:2], 16)


# ---------------------------------------------------------------- structure


def test_computation_never_imports_plotting():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import labkit.checks, labkit.colours, labkit.compression, labkit.data\n"
        "import labkit.kmeans, labkit.starts\n"
        "print('matplotlib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=utils.LAB_ROOT,
    )
    assert done.stdout.strip() == "False"


def test_no_module_imports_a_private_name_from_another():
    import ast

    sources = [*sorted((utils.LAB_ROOT / "labkit").glob("*.py"))]
    sources += [utils.LAB_ROOT / "utils.py"]
    private = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private += [
                    f"{path.name}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert private == []
