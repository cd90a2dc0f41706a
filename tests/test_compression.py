"""Palette PNGs, PSNR, distinct colours and compress_photo on images of every kind."""

import io
import math

import implementations as impl
import numpy as np
import pytest
from PIL import Image

import utils
from labkit import colours, compression, kmeans, starts

#: Vectorised steps (a loop over 76,000 colours x 16 centroids would take minutes).
STEPS = {
    "find_closest_centroids": impl.closest_full_broadcast,
    "compute_centroids": impl.centroids_bincount,
}

# ---------------------------------------------------------------- small parts


def test_psnr_of_a_known_error():
    original = np.zeros((4, 4, 3))
    # Every value off by 0.1: MSE = 0.01, PSNR = 10 log10(1 / 0.01) = 20 dB.
    assert utils.psnr(original, original + 0.1) == pytest.approx(20.0)
    assert utils.psnr(original, original) == math.inf
    with pytest.raises(ValueError, match="one shape"):
        utils.psnr(original, original[:2])


def test_psnr_of_mse_on_the_8_bit_scale():
    # MSE 65.025 = 255**2 / 1000 on the 0..255 scale: 10 log10(1000) = 30 dB.
    assert compression.psnr_of_mse(255**2 / 1000, peak=255) == pytest.approx(30.0)
    assert compression.psnr_of_mse(0.0) == math.inf


def test_to_eight_bits_rounds_clips_and_breaks_ties_to_even():
    values = np.array([0.0, 1.0, -0.2, 1.7, 0.2, 0.5, 0.5 / 255, 1.5 / 255])
    # 0.2 * 255 = 51; 127.5 and 0.5 go to the even 128 and 0; 1.5 goes to 2.
    expected = [0, 255, 0, 255, 51, 128, 0, 2]
    assert colours.to_eight_bits(values).tolist() == expected
    assert colours.to_eight_bits(values).dtype == np.uint8


@pytest.mark.parametrize(("K", "bits"), [(2, 1), (4, 2), (16, 4), (17, 8), (256, 8)])
def test_palette_png_packs_indices_into_log2_K_bits(K, bits):
    rng = np.random.default_rng(K)
    centroids = rng.random((K, 3))
    idx = np.arange(64 * 64) % K
    data = utils.png_bytes(utils.palette_image(centroids, idx, (64, 64)))
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "P"
        assert data[24] == bits  # the IHDR bit depth
        decoded = np.asarray(image.convert("RGB"))
    expected = np.rint(centroids * 255).astype(np.uint8)[idx].reshape(64, 64, 3)
    np.testing.assert_array_equal(decoded, expected)


def test_palette_image_rejects_more_than_256_colours():
    with pytest.raises(ValueError, match="1 to 256 colours"):
        utils.palette_image(np.zeros((257, 3)), np.zeros(4, dtype=int), (2, 2))


def test_distinct_colours_match_numpy_unique():
    rng = np.random.default_rng(3)
    levels = rng.integers(0, 4, size=(5000, 3)).astype(np.uint8) * 60
    found, counts, inverse = colours.distinct_colours(levels)
    unique, unique_counts = np.unique(levels, axis=0, return_counts=True)
    np.testing.assert_array_equal(found, unique)
    np.testing.assert_array_equal(counts, unique_counts)
    np.testing.assert_array_equal(found[inverse], levels)


def test_eight_bit_levels_are_recognised_only_when_exact():
    levels = np.array([[0, 128, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(colours.eight_bit_levels(levels / 255.0), levels)
    np.testing.assert_array_equal(
        colours.eight_bit_levels((levels / 255.0).astype(np.float32)), levels
    )
    assert colours.eight_bit_levels(levels / 255.0 + 0.001) is None
    assert colours.eight_bit_levels(np.array([[0.0, 0.5, 1.5]])) is None


def test_colour_boxes_are_the_mean_and_count_of_the_pixels_in_each_box():
    rng = np.random.default_rng(8)
    pixels = rng.integers(0, 256, size=(20_000, 3)).astype(np.uint8)
    found, counts, _ = colours.distinct_colours(pixels)
    means, weights = colours.colour_boxes(found, counts, bits=2)
    # Independently: group the pixels themselves by their top 2 bits.
    boxes, box_of = np.unique(pixels >> 6, axis=0, return_inverse=True)
    box_of = box_of.reshape(-1)
    assert len(means) == len(boxes) == 64
    np.testing.assert_array_equal(weights, np.bincount(box_of))
    for b in (0, 17, 63):
        np.testing.assert_allclose(means[b], pixels[box_of == b].mean(axis=0) / 255)


def test_weighted_lloyd_on_distinct_colours_is_plain_lloyd_on_every_pixel():
    """The distinct-colour path of run_kMeans against plain Lloyd on 2**18 pixels."""
    rng = np.random.default_rng(5)
    palette = rng.integers(0, 256, size=(40, 3))
    levels = palette[rng.integers(0, 40, size=1 << 18)]
    levels = np.clip(levels + rng.integers(-3, 4, size=levels.shape), 0, 255)
    X = (levels / 255.0).astype(np.float32)
    start = X[rng.choice(len(X), 8, replace=False)].astype(np.float64)
    fast_centroids, fast_idx = utils.run_kMeans(X, start, 5, verbose=False, **STEPS)
    steps = kmeans.StudentSteps(impl.closest_full_broadcast, impl.centroids_bincount, 8)
    slow = kmeans.lloyd(kmeans.read_only(X), start, 5, steps, verbose=False)
    np.testing.assert_allclose(fast_centroids, slow.centroids, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(fast_idx, slow.idx)


def test_explicit_weights_count_a_row_as_that_many_copies():
    X = np.array([[0.0, 0.0], [4.0, 0.0], [10.0, 10.0]])
    weights = np.array([3.0, 1.0, 2.0])
    steps = kmeans.StudentSteps(
        impl.closest_loop_broadcast, impl.centroids_loop_mean, 2
    )
    run = kmeans.lloyd(X, X[[0, 2]], 1, steps, weights, verbose=False)
    # Cluster 0: three copies of (0, 0) and one of (4, 0): mean (1, 0).
    np.testing.assert_allclose(run.centroids, [[1.0, 0.0], [10.0, 10.0]])
    # Cost: (3 * 1 + 1 * 9 + 0) / 6 copies.
    assert run.cost() == pytest.approx(2.0)


def test_the_weighted_path_speaks_in_the_students_own_shapes():
    """A compute_centroids hard-coded to 2 features, on 2**18 8-bit colours."""
    levels = np.tile(np.array([[0, 0, 0], [255, 0, 0], [0, 0, 255]]), (1 << 17, 1))
    X = levels / 255.0

    def two_features(X, idx, K):
        return impl.centroids_bincount(X[:, :2], idx, K)

    with pytest.raises(ValueError) as caught:
        utils.run_kMeans(
            X,
            X[:3],
            2,
            verbose=False,
            find_closest_centroids=impl.closest_full_broadcast,
            compute_centroids=two_features,
        )
    message = str(caught.value)
    assert "must have shape (K, n) = (3, 3)" in message
    assert "got shape (3, 2)" in message
    assert "(3, 4)" not in message


def test_run_kMeans_says_when_it_uses_distinct_colours(capsys):
    levels = np.tile(np.array([[0, 0, 0], [255, 0, 0], [0, 0, 255]]), (1 << 17, 1))
    X = levels / 255.0
    centroids, idx = utils.run_kMeans(X, X[:3], 2, **STEPS)
    assert "393,216 pixels, 3 distinct colours" in capsys.readouterr().out
    np.testing.assert_allclose(centroids, X[:3])
    assert idx[:6].tolist() == [0, 1, 2, 0, 1, 2]


# ---------------------------------------------------------------- compress_photo


def four_colour_pixels(h=48, w=64):
    """An image of exactly four colours in quarters: K = 4 compresses it losslessly."""
    pixels = np.zeros((h, w, 3), dtype=np.uint8)
    pixels[: h // 2, : w // 2] = [200, 30, 30]
    pixels[: h // 2, w // 2 :] = [30, 200, 30]
    pixels[h // 2 :, : w // 2] = [30, 30, 200]
    pixels[h // 2 :, w // 2 :] = [250, 250, 250]
    return pixels


def compress(path, K=4, **kwargs):
    return utils.compress_photo(
        path, K, rng=np.random.default_rng(0), verbose=False, **kwargs, **STEPS
    )


def decode(path):
    with Image.open(path) as image:
        return image.mode, np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_compress_photo_is_lossless_on_a_four_colour_png(tmp_path, mode):
    pixels = four_colour_pixels()
    path = tmp_path / f"quarters_{mode}.png"
    image = Image.fromarray(pixels)
    if mode == "P":
        image = image.quantize(colors=4)  # exactly the four colours, no dithering
    image.convert(mode).save(path) if mode != "P" else image.save(path)
    out = tmp_path / "out.png"
    report = compress(path, out=out)
    assert (report.height, report.width, report.distinct_colours) == (48, 64, 4)
    assert report.psnr_db == math.inf
    mode, decoded = decode(out)
    assert mode == "P"
    np.testing.assert_array_equal(decoded, pixels)
    assert report.palette_png_bytes == out.stat().st_size
    assert report.png_bytes > report.palette_png_bytes


def test_compress_photo_expands_grey(tmp_path):
    grey = np.repeat(np.array([0, 85, 170, 255], dtype=np.uint8), 16).reshape(8, 8)
    path = tmp_path / "grey.png"
    Image.fromarray(grey).save(path)
    report = compress(path, out=tmp_path / "out.png")
    _, decoded = decode(tmp_path / "out.png")
    np.testing.assert_array_equal(decoded[..., 0], grey)
    np.testing.assert_array_equal(decoded[..., 2], grey)
    assert report.psnr_db == math.inf


def test_compress_photo_reads_16_bit_grey(tmp_path):
    grey = np.repeat(np.array([0, 21845, 43690, 65535], dtype=np.uint16), 16).reshape(
        8, 8
    )
    path = tmp_path / "grey16.png"
    Image.fromarray(grey).save(path)
    compress(path, out=tmp_path / "out.png")
    _, decoded = decode(tmp_path / "out.png")
    # 21845 / 65535 = 1/3 of full scale: 85 in 8 bits.
    assert sorted(np.unique(decoded[..., 1]).tolist()) == [0, 85, 170, 255]


def test_compress_photo_applies_exif_rotation(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    path = tmp_path / "rotated.jpg"
    Image.fromarray(four_colour_pixels(40, 60)).save(path, exif=exif, quality=95)
    report = compress(path, out=tmp_path / "out.png")
    assert (report.height, report.width) == (60, 40)
    with Image.open(tmp_path / "out.png") as image:
        assert image.size == (40, 60)


def test_compress_photo_on_the_lab_jpeg_reports_sensible_numbers(tmp_path, capsys):
    path = utils.DATA_DIR / "grace_hopper.jpg"
    report = utils.compress_photo(
        path, 16, rng=np.random.default_rng(1), out=tmp_path / "gh.png", **STEPS
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "grace_hopper.jpg: 512 x 600 = 307,200 pixels, " + (
        f"{report.distinct_colours:,} distinct colours"
    )
    starts = [line for line in lines if line.startswith("start ")]
    assert [line.split(":")[0] for line in starts] == [
        f"start {i}/{compression.N_STARTS}" for i in range(1, 9)
    ]
    exact = [line for line in lines if line.startswith("K-means on the ")]
    assert 1 <= len(exact) <= 3
    assert lines[-1] == f"PSNR: {report.psnr_db:.2f} dB"
    # The PSNR it reports is the PSNR of the file it wrote.
    decoded = utils.load_image(tmp_path / "gh.png")
    original = utils.load_image(path)
    assert utils.psnr(original, decoded) == pytest.approx(report.psnr_db, abs=1e-9)
    assert 20 < report.psnr_db < 40
    assert report.file_bytes == path.stat().st_size
    # Every pixel got the palette colour nearest to it (the assign stage).
    with Image.open(tmp_path / "gh.png") as image:
        palette = np.array(image.getpalette()[:48], dtype=float).reshape(16, 3)
    pixels = np.round(original.reshape(-1, 3) * 255)
    gaps = ((pixels[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
    stored = ((decoded.reshape(-1, 3) * 255 - pixels) ** 2).sum(axis=1)
    np.testing.assert_allclose(stored, gaps.min(axis=1), atol=1e-6)


def test_compress_photo_runs_the_functions_it_is_handed(tmp_path):
    calls = {"find": 0, "compute": 0}

    def find(X, centroids):
        calls["find"] += 1
        return impl.closest_full_broadcast(X, centroids)

    def compute(X, idx, K):
        calls["compute"] += 1
        return impl.centroids_bincount(X, idx, K)

    path = utils.DATA_DIR / "grace_hopper_small.png"
    utils.compress_photo(
        path,
        8,
        rng=np.random.default_rng(0),
        verbose=False,
        compare_png=False,
        find_closest_centroids=find,
        compute_centroids=compute,
    )
    assert calls["find"] > compression.N_STARTS and calls["compute"] > 0

    def stuck(X, idx, K):
        # A compute_centroids that never moves anything: all centroids at 0.
        return np.zeros((K, X.shape[1]))

    stuck_report = utils.compress_photo(
        path,
        8,
        rng=np.random.default_rng(0),
        verbose=False,
        compare_png=False,
        find_closest_centroids=impl.closest_full_broadcast,
        compute_centroids=stuck,
    )
    assert stuck_report.psnr_db < 15


def test_compress_photo_is_no_worse_than_its_best_start(tmp_path):
    """More starts can only lower the cost of the start that is kept."""
    path = utils.DATA_DIR / "grace_hopper.jpg"
    one = compress(path, K=16, n_starts=1, compare_png=False)
    many = compress(path, K=16, n_starts=8, compare_png=False)
    # The first of the 8 starts is the single start (same seed), so the
    # best of 8 is at least as good as it before the exact iterations.
    assert many.psnr_db >= one.psnr_db - 0.05


def test_variance_split_puts_one_centroid_in_each_separate_blob():
    """Eight tight blobs 9 apart: any cut through a blob leaves more spread
    than a cut between blobs, so each box is one blob and its mean is there."""
    rng = np.random.default_rng(4)
    centres = np.array([[x, y, z] for x in (0, 9) for y in (0, 9) for z in (0, 9)])
    X = np.repeat(centres, 50, axis=0) + rng.normal(0, 0.1, size=(400, 3))
    for criterion in ("gain", "spread"):
        chosen = starts.variance_split(X, 8, criterion=criterion)
        blobs = np.argmin(((chosen[:, None] - centres[None]) ** 2).sum(axis=2), 1)
        assert sorted(blobs.tolist()) == list(range(8))
        np.testing.assert_allclose(
            np.sort(chosen, axis=0),
            np.sort([X[i * 50 : (i + 1) * 50].mean(axis=0) for i in range(8)], axis=0),
        )


def test_variance_split_cuts_where_the_halves_spread_least():
    # Points 0, 2 and 3 on a line: the cut {0} | {2, 3} leaves a spread of
    # 0 + 2 * 0.5^2 = 0.5, the cut {0, 2} | {3} leaves 2 * 1^2 = 2.
    X = np.array([[0.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    np.testing.assert_array_equal(
        np.sort(starts.variance_split(X, 2), axis=0), [[0.0, 0.0], [2.5, 0.0]]
    )
    # Weights count: with 3 at weight 10, {0, 2} | {3} leaves 2 (0 and 2 about
    # their mean 1) and {0} | {2, 3} leaves 10/11 * 1 > 0.9; still the latter,
    # now with its mean at (2 + 30) / 11.
    weighted = starts.variance_split(X, 2, np.array([1.0, 1.0, 10.0]))
    np.testing.assert_allclose(np.sort(weighted[:, 0]), [0.0, 32 / 11])


def test_variance_split_never_uses_a_weightless_row():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [50.0, 50.0], [0.0, 1.0]])
    weights = np.array([1.0, 1.0, 0.0, 1.0])
    for criterion in ("gain", "spread"):
        chosen = starts.variance_split(X, 3, weights, criterion)
        np.testing.assert_array_equal(np.sort(chosen, axis=0), np.sort(X[[0, 1, 3]], 0))
    with pytest.raises(ValueError, match="fewer than K = 4 distinct rows"):
        starts.variance_split(X, 4, weights)
    with pytest.raises(ValueError, match="K must be a whole number from 1 to 4"):
        starts.variance_split(X, 5)
    with pytest.raises(ValueError, match="criterion must be 'gain' or 'spread'"):
        starts.variance_split(X, 2, criterion="median")


def test_compress_photo_rejects_what_it_cannot_compress(tmp_path, monkeypatch):
    gif = tmp_path / "anim.gif"
    Image.fromarray(four_colour_pixels()).convert("P").save(gif)
    with pytest.raises(ValueError, match="GIF image; the lab reads PNG or JPEG"):
        compress(gif)
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    with pytest.raises(ValueError, match="not an image file"):
        compress(text)
    png = tmp_path / "quarters.png"
    Image.fromarray(four_colour_pixels()).save(png)
    with pytest.raises(ValueError, match="only 4 distinct colours: choose K <= 4"):
        compress(png, K=5)
    for K in (0, 257, 2.5, True):
        with pytest.raises(ValueError, match="K must be a whole number from 1 to 256"):
            compress(png, K=K)
    with pytest.raises(ValueError, match="n_starts must be a whole number >= 1"):
        compress(png, n_starts=0)
    monkeypatch.setattr(compression, "MAX_PIXELS", 1000)
    with pytest.raises(
        ValueError, match="has 3,072 pixels; compress_photo takes at most"
    ):
        compress(png)
    with pytest.raises(FileNotFoundError):
        compress(tmp_path / "missing.png")


def test_compress_photo_uses_the_given_init(tmp_path):
    png = tmp_path / "quarters.png"
    Image.fromarray(four_colour_pixels()).save(png)
    calls = []

    def first_colours(points, K, rng):
        calls.append((points.shape, K))
        return points[:K]

    compress(png, init=first_colours, n_starts=2)
    assert calls == [((4, 3), 4)] * 2
