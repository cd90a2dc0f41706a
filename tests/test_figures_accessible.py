"""Figures everyone can read: a text alternative for each, and more than colour.

The unit tests draw on small data whose clusters, means and paths are known
by construction.  The export tests run the source notebook with its
solutions, keep its pictures, and read nbconvert's HTML of it: the classic
template writes each picture's ``alt`` from the output metadata; the default
(lab) template writes no ``alt`` of its own (nbconvert puts in a placeholder),
so there every picture must be followed by its caption.
"""

from html.parser import HTMLParser

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from browser import checks
from browser.jupyterlab import Cell, Output
from matplotlib.figure import Figure
from nbconvert import HTMLExporter

from instructor.authoring.execute import execute_notebook, is_image_data
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK
from labkit import plots

#: Three clusters of four points each, symmetric about known centres, so each
#: cluster's mean is its centre exactly.
CENTRES = np.array([[1.0, 2.0], [5.0, -1.0], [-3.0, 4.0]])
OFFSETS = np.array([[0.5, 0.0], [-0.5, 0.0], [0.0, 0.25], [0.0, -0.25]])
X = np.concatenate([centre + OFFSETS for centre in CENTRES])
IDX = np.repeat(np.arange(3), 4)
#: A text alternative says at least this many words (not "figure" or a repr).
MIN_WORDS = 6


def marker_shape(collection):
    """The marker outline a scatter collection draws, as rounded vertices."""
    [path] = collection.get_paths()
    return tuple(map(tuple, np.round(path.vertices, 6)))


# ------------------------------------------------------------ markers


@pytest.mark.parametrize("K", [2, 3, len(plots.CLUSTER_MARKERS)])
def test_each_cluster_has_its_own_marker_shape_and_only_its_points(K):
    rng = np.random.default_rng(K)
    points = rng.normal(size=(10 * K, 2))
    idx = np.arange(10 * K) % K
    ax = plots.plot_data_points(points, idx, K)
    assert len(ax.collections) == K
    shapes = [marker_shape(c) for c in ax.collections]
    assert len(set(shapes)) == K, "two clusters share a marker shape"
    for k, collection in enumerate(ax.collections):
        np.testing.assert_array_equal(collection.get_offsets(), points[idx == k])


def test_more_clusters_than_shapes_still_differ_by_shape_or_colour():
    K = len(plots.CLUSTER_MARKERS) + 5
    idx = np.arange(4 * K) % K
    ax = plots.plot_data_points(np.random.default_rng(0).normal(size=(4 * K, 2)), idx)
    looks = {
        (marker_shape(c), tuple(np.round(c.get_facecolors()[0], 6)))
        for c in ax.collections
    }
    assert len(looks) == K


def test_cluster_plots_name_each_cluster_in_a_legend():
    ax = plots.plot_data_points(X, IDX)
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        "cluster 0",
        "cluster 1",
        "cluster 2",
    ]


def test_progress_plot_numbers_each_final_centroid():
    history = np.stack([CENTRES + 1.0, CENTRES])
    ax = plots.plot_progress_kMeans(X, history, IDX)
    labels = {t.get_text(): t.xy for t in ax.texts}
    assert set(labels) == {"0", "1", "2"}
    for k in range(3):
        np.testing.assert_allclose(labels[str(k)], CENTRES[k])


# ------------------------------------------------------- text alternatives


def test_cluster_plot_says_each_clusters_size_marker_and_centre():
    [text] = plots.figure_caption(plots.plot_data_points(X, IDX).figure)
    assert "Scatter plot of 12 examples in 3 clusters" in text
    # The data's extent, by construction: x1 from -3.5 to 5.5, x2 -1.25 to 4.25.
    assert "x1 from -3.50 to 5.50 and x2 from -1.25 to 4.25" in text
    assert "cluster 0, circles: 4 examples around (1.00, 2.00)" in text
    assert "cluster 1, squares: 4 examples around (5.00, -1.00)" in text
    assert "cluster 2, upward triangles: 4 examples around (-3.00, 4.00)" in text


def test_an_empty_cluster_is_said_to_be_empty():
    [text] = plots.figure_caption(plots.plot_data_points(X, IDX, K=4).figure)
    assert text.endswith("cluster 3, diamonds: 0 examples.")


def test_progress_plot_says_where_each_centroid_started_and_ended():
    start = np.array([[0.0, 0.0], [6.0, 0.0], [-2.0, 2.0]])
    history = np.stack([start, (start + CENTRES) / 2, CENTRES])
    ax = plots.plot_progress_kMeans(X, history, IDX)
    [text] = plots.figure_caption(ax.figure)
    assert text.startswith("Centroid paths over 2 iterations. ")
    assert "centroid 0 from (0.00, 0.00) to (1.00, 2.00)" in text
    assert "centroid 1 from (6.00, 0.00) to (5.00, -1.00)" in text
    assert "centroid 2 from (-2.00, 2.00) to (-3.00, 4.00)" in text


def test_swatches_are_listed_as_8_bit_colours():
    palette = np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 1.0]])
    [text] = plots.figure_caption(plots.show_centroid_colours(palette).figure)
    # 0.5 * 255 = 127.5 rounds to the even 128.
    assert "0 (255, 0, 0); 1 (0, 128, 255)" in text


def test_compression_says_size_and_how_many_colours_remain():
    image = np.zeros((3, 5, 3))
    compressed = image.copy()
    compressed[0, :2] = [1.0, 1.0, 1.0]
    left, right = plots.show_compression(image, compressed, 2)
    lines = plots.figure_caption(left.figure)
    assert lines[0] == "2 panels."
    assert lines[1] == "Panel 1, Original: The photo as loaded, 3 by 5 pixels."
    assert lines[2].startswith("Panel 2, Compressed with 2 colours: ")
    assert lines[2].endswith(
        "3 by 5 pixels, with every pixel replaced by its "
        "centroid's colour: 2 distinct colours."
    )


def test_rgb_plot_says_how_many_pixels_and_where_the_centroids_are():
    pixels = np.array([[0.0, 0.0, 0.0], [1.0, 0.5, 0.25]] * 10)
    centroids = pixels[:2]
    ax = plots.plot_kMeans_RGB(pixels, centroids, np.arange(20) % 2, max_points=5)
    [text] = plots.figure_caption(ax.figure)
    assert "3-D scatter plot of 20 pixel colours" in text
    assert "1 pixel in 4 drawn" in text  # ceil(20 / 5)
    assert "R 0.00 to 1.00, G 0.00 to 0.50, B 0.00 to 0.25" in text


def test_a_panel_drawn_by_hand_is_described_from_its_lines():
    fig, ax = plt.subplots()
    ax.plot([2, 4, 8], [1.5, 0.25, 0.125], "o-", label="measured")
    ax.axhline(0.5, linestyle="--", label="target")
    ax.axvline(4, linestyle=":", label="chosen")
    ax.set_xlabel("K")
    ax.set_xscale("log", base=2)
    ax.set_title("cost")
    ax.plot([1, 1e4], [0, 0], label="thousands")
    [text] = plots.figure_caption(fig)
    assert text == (
        'cost. A line "measured" through (2, 1.5), (4, 0.25), (8, 0.125); '
        'a horizontal line "target" at y = 0.5; a vertical line "chosen" at '
        'x = 4; a line "thousands" through (1, 0), (10000, 0). x axis: K (log '
        "scale)."
    )


def test_describe_adds_to_a_panel_and_refuses_empty_text():
    ax = Figure().add_subplot()
    plots.describe(ax, "Eight   points\nin a row.")
    assert plots.figure_caption(ax.figure) == ["Eight points in a row."]
    with pytest.raises(ValueError, match="must say something"):
        plots.describe(ax, "  \n")


def test_the_picture_carries_the_caption_as_alt():
    fig = plots.plot_data_points(X, IDX).figure
    (data, metadata), caption = plots.figure_outputs(fig)
    assert "image/png" in data
    assert data["text/plain"].startswith("<Figure size")
    assert caption.startswith(plots.CAPTION_PREFIX)
    assert metadata["image/png"]["alt"] == caption[len(plots.CAPTION_PREFIX) :]


def test_show_figure_prints_the_caption_and_closes_the_figure(capsys):
    fig, axes = plt.subplots(1, 2)
    plots.plot_data_points(X, IDX, ax=axes[0])
    axes[1].imshow(np.zeros((4, 6, 3)))
    plots.show_figure(fig)
    out = capsys.readouterr().out
    assert out.startswith("Figure: 2 panels.\n  Panel 1, 12 examples in 3 clusters: ")
    assert "\n  Panel 2: An image 4 by 6 pixels.\n" in out
    assert not plt.fignum_exists(fig.number)


# --------------------------------------------- the notebook, exported as HTML


@pytest.fixture(scope="module")
def executed():
    """The source notebook run with its solutions, pictures kept."""
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    return execute_notebook(nb, REPO_ROOT)


def picture_outputs(nb):
    """``[(cell, position)]`` of every output that holds a picture."""
    return [
        (cell, k)
        for cell in nb.cells
        if cell.cell_type == "code"
        for k, output in enumerate(cell.outputs)
        if any(is_image_data(mime) for mime in output.get("data", {}))
    ]


def test_every_figure_of_the_notebook_is_followed_by_its_caption(executed):
    found = picture_outputs(executed)
    assert len(found) >= 8, "the notebook shows fewer figures than the lab has"
    for cell, k in found:
        following = cell.outputs[k + 1] if k + 1 < len(cell.outputs) else None
        assert following is not None and following.output_type == "stream", cell.source
        caption = following.text
        assert caption.startswith(plots.CAPTION_PREFIX), cell.source
        alt = cell.outputs[k].metadata["image/png"]["alt"]
        assert " ".join(caption[len(plots.CAPTION_PREFIX) :].split()) == alt


class _Outputs(HTMLParser):
    """Each ``<img>`` with its ``alt``, and the text of each output block."""

    def __init__(self, block_class):
        super().__init__()
        self.block_class = block_class
        self.images = []
        self.blocks = []  # [images in it, its text]
        self.depth = None  # the open block's div depth
        self.divs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self.divs += 1
            classes = (attrs.get("class") or "").split()
            if self.depth is None and self.block_class in classes:
                self.depth = self.divs
                self.blocks.append([0, ""])
        if tag == "img":
            self.images.append(attrs.get("alt"))
            if self.depth is not None:
                self.blocks[-1][0] += 1

    def handle_endtag(self, tag):
        if tag == "div":
            if self.depth == self.divs:
                self.depth = None
            self.divs -= 1

    def handle_data(self, data):
        if self.depth is not None:
            self.blocks[-1][1] += data


def export(nb, template):
    body, _ = HTMLExporter(template_name=template).from_notebook_node(nb)
    return body


def test_classic_html_export_gives_every_picture_a_real_alt(executed):
    parser = _Outputs("output_area")
    parser.feed(export(executed, "classic"))
    expected = [
        cell.outputs[k].metadata["image/png"]["alt"]
        for cell, k in picture_outputs(executed)
    ]
    assert len(parser.images) == len(expected)
    for alt, wanted in zip(parser.images, expected, strict=True):
        assert alt == wanted
        assert len(alt.split()) >= MIN_WORDS and not alt.startswith("<"), alt


def test_default_html_export_shows_a_caption_right_after_every_picture(executed):
    parser = _Outputs("jp-OutputArea-output")
    parser.feed(export(executed, "lab"))
    blocks = parser.blocks
    pictures = [n for n, (images, _) in enumerate(blocks) if images]
    assert len(pictures) == len(picture_outputs(executed))
    for n in pictures:
        assert n + 1 < len(blocks), "a picture is the page's last output"
        images, text = blocks[n + 1]
        assert images == 0
        words = text.strip().removeprefix(plots.CAPTION_PREFIX.strip()).split()
        assert text.strip().startswith(plots.CAPTION_PREFIX.strip()), text[:200]
        assert len(words) >= MIN_WORDS, text


# ------------------------------------------------ the browser test's check


def page_cell(*outputs):
    """A code cell as the browser test reads it, from ``(mime, text, alt)``."""
    cell = Cell(0, "[1]:")
    for mime, text, alt in outputs:
        image = None
        if mime == "image/png":
            image = {"complete": True, "naturalWidth": 9, "clientWidth": 9}
            image |= {"alt": alt, "label": None}
        cell.outputs.append(Output(mime, text, image))
    return cell


STDOUT = "application/vnd.jupyter.stdout"
CAPTION = "Figure: Scatter plot of 300 examples in 3 clusters."


@pytest.mark.parametrize(
    "outputs",
    [
        [("image/png", "", None), (STDOUT, CAPTION, None)],
        [("image/png", "", "A line of cost against K falling from 3 to 1")],
    ],
)
def test_the_browser_check_accepts_a_caption_after_or_a_real_alt(outputs):
    assert checks.figure_text_problems([page_cell(*outputs)]) == []


@pytest.mark.parametrize(
    "outputs",
    [
        [("image/png", "", None)],
        [("image/png", "", "")],
        [("image/png", "", "plot")],
        [("image/png", "", "<Figure size 600x500 with 1 Axes>")],
        [("image/png", "", None), (STDOUT, "Figure:", None)],
        [(STDOUT, CAPTION, None), ("image/png", "", None)],  # caption before
        [("image/png", "", None), (STDOUT, "cost 0.6270 after 10 steps", None)],
    ],
)
def test_the_browser_check_finds_a_figure_without_words(outputs):
    [(kind, message)] = checks.figure_text_problems([page_cell(*outputs)])
    assert kind == "alt" and message.startswith("code cell 0 ")
