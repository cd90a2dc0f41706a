"""The lab's figures, drawn with matplotlib's object API on an optional ``ax``.

Every figure says what it shows in words.  Each helper draws on an ``ax``
(a new figure if omitted), returns it, and records a description of what it
drew computed from the data (:func:`describe`); :func:`show_figure` then shows
the figure with that text as the picture's ``alt`` and prints it as a caption
right below, the one place JupyterLab's screen-reader users can read it
(JupyterLab 4 draws no ``alt`` from output metadata).  Clusters differ by
marker shape as well as colour, so colour is never the only cue.
"""

from weakref import WeakKeyDictionary

import matplotlib.pyplot as plt
import numpy as np

from .checks import check_centroids, check_idx, check_points
from .colours import colour_keys, to_eight_bits

#: Filled marker shapes given to clusters in turn, so that clusters differ by
#: shape as well as colour ("X" and "x" are kept for centroids and paths).
CLUSTER_MARKERS = ("o", "s", "^", "D", "v", "P", "*", "<", "h", ">")
#: How a caption names each marker shape.
MARKER_NAMES = {
    "o": "circles",
    "s": "squares",
    "^": "upward triangles",
    "D": "diamonds",
    "v": "downward triangles",
    "P": "plus signs",
    "*": "stars",
    "<": "left triangles",
    "h": "hexagons",
    ">": "right triangles",
}
#: A caption lists up to this many clusters, centroids or swatches.
MAX_LISTED = 16
#: A line with at most this many points is described point by point.
MAX_POINTS_LISTED = 12
#: What a figure's caption starts with.
CAPTION_PREFIX = "Figure: "

_DESCRIPTIONS = WeakKeyDictionary()


def cluster_colours(K):
    """Return K distinct RGBA colours, one per cluster, as a (K, 4) array."""
    if K <= 10:
        return plt.get_cmap("tab10")(np.arange(K))
    if K <= 20:
        return plt.get_cmap("tab20")(np.arange(K))
    return plt.get_cmap("turbo")(np.linspace(0.0, 1.0, K))


def cluster_markers(K):
    """Return the marker of each of K clusters, cycling through CLUSTER_MARKERS."""
    return [CLUSTER_MARKERS[k % len(CLUSTER_MARKERS)] for k in range(K)]


def describe(ax, text):
    """Add ``text`` to what the text alternative of ``ax`` says; return ``ax``.

    The plot helpers call it with what they drew; a notebook cell that draws
    with matplotlib itself may call it too (otherwise :func:`show_figure`
    describes the panel from its lines and images).

    Parameters
    ----------
    ax : matplotlib Axes
    text : str
        One or more sentences, computed from the data drawn.

    Returns
    -------
    matplotlib Axes
    """
    text = " ".join(str(text).split())
    if not text:
        raise ValueError("a figure's description must say something, got empty text")
    _DESCRIPTIONS.setdefault(ax, []).append(text)
    return ax


def _number(value):
    """A number as a caption writes it: whole, else to 4 significant digits.

    No thousands separators: in a point such as (4, 1570) a comma separates
    the coordinates.
    """
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return np.format_float_positional(value, precision=4, fractional=False, trim="-")


def _point(values, decimals=2):
    return "(" + ", ".join(f"{v:.{decimals}f}" for v in values) + ")"


def _plain(text):
    """Matplotlib's mathtext ``$x_1$`` as plain ``x1``, on one line."""
    text = text.replace("$", "").replace("_", "").replace("\\", "")
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def _listing(items, total, noun):
    shown = "; ".join(items[:MAX_LISTED])
    if total > MAX_LISTED:
        shown += f"; and {total - MAX_LISTED} more {noun}"
    return shown


def _line_text(ax, line):
    label = line.get_label()
    named = f' "{label}"' if label and not label.startswith("_") else ""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    transform = line.get_transform()
    if transform == ax.get_yaxis_transform():
        return f"a horizontal line{named} at y = {_number(y[0])}"
    if transform == ax.get_xaxis_transform():
        return f"a vertical line{named} at x = {_number(x[0])}"
    kind = "points" if line.get_linestyle() in ("None", "", " ") else "a line"
    pairs = [f"({_number(a)}, {_number(b)})" for a, b in zip(x, y, strict=True)]
    if len(pairs) > MAX_POINTS_LISTED:
        return f"{kind}{named} of {len(pairs)} points from {pairs[0]} to {pairs[-1]}"
    return f"{kind}{named} through {', '.join(pairs)}"


def _from_artists(ax):
    """Describe a panel a notebook cell drew itself, from what it holds."""
    parts = []
    for image in ax.images:
        height, width = image.get_array().shape[:2]
        parts.append(f"an image {height:,} by {width:,} pixels")
    public = [line for line in ax.lines if not line.get_label().startswith("_")]
    parts += [_line_text(ax, line) for line in public]
    others = len(ax.lines) - len(public)
    if others:
        parts.append(f"{others} unlabelled line{'s' if others > 1 else ''}")
    points = sum(len(c.get_offsets()) for c in ax.collections)
    if points:
        parts.append(f"{points:,} scattered points")
    if not parts:
        parts.append("an empty panel")
    axes_text = [
        f"{name} axis: {_plain(label)}"
        + (f" ({scale} scale)" if scale != "linear" else "")
        for name, label, scale in (
            ("x", ax.get_xlabel(), ax.get_xscale()),
            ("y", ax.get_ylabel(), ax.get_yscale()),
        )
        if label
    ]
    text = "; ".join(parts) + "."
    if axes_text:
        text += " " + "; ".join(axes_text) + "."
    return text[0].upper() + text[1:]


def axes_description(ax):
    """What the text alternative says about one panel (its title aside)."""
    described = _DESCRIPTIONS.get(ax)
    return " ".join(described) if described else _from_artists(ax)


def figure_caption(fig):
    """The caption of ``fig``: one line per panel, computed from what it shows.

    Returns
    -------
    list of str
        A first line that says how many panels there are (and the figure's
        title), then one line per panel: its title and its description.
    """
    panels = [ax for ax in fig.axes if ax.get_visible()]
    if not panels:
        raise ValueError("the figure has nothing to show: it has no axes")
    title = _plain(fig.get_suptitle())
    if len(panels) == 1:
        [ax] = panels
        heading = "; ".join(filter(None, (title, _plain(ax.get_title()))))
        text = axes_description(ax)
        return [f"{heading}. {text}" if heading else text]
    lines = [f"{len(panels)} panels" + (f", titled {title}" if title else "") + "."]
    for number, ax in enumerate(panels, start=1):
        heading = _plain(ax.get_title())
        lines.append(
            f"Panel {number}"
            + (f", {heading}" if heading else "")
            + f": {axes_description(ax)}"
        )
    return lines


def figure_text(fig):
    """The text alternative of ``fig``: its caption as one paragraph."""
    return " ".join(figure_caption(fig))


def _picture(fig):
    """``(data, metadata)`` of ``fig`` as the kernel would display it."""
    from IPython import get_ipython

    shell = get_ipython()
    data, metadata = ({}, {}) if shell is None else shell.display_formatter.format(fig)
    if not any(mime.startswith("image/") for mime in data):
        from IPython.core.pylabtools import print_figure

        data["image/png"] = print_figure(fig, "png", bbox_inches="tight", base64=True)
    data.setdefault("text/plain", repr(fig))
    return dict(data), dict(metadata)


def figure_outputs(fig, alt=None):
    """The picture of ``fig`` with its text alternative, and its caption.

    Parameters
    ----------
    fig : matplotlib Figure
    alt : str, optional
        The text alternative; :func:`figure_text` if omitted.

    Returns
    -------
    picture : (dict, dict)
        The display data (an image and ``text/plain``) and its metadata,
        which gives every image MIME type the ``alt`` text.
    caption : str
        The lines to print below the picture, starting with CAPTION_PREFIX.
    """
    lines = figure_caption(fig) if alt is None else [" ".join(str(alt).split())]
    if not lines[0]:
        raise ValueError("a figure's text alternative must say something")
    data, metadata = _picture(fig)
    text = " ".join(lines)
    for mime in data:
        if mime.startswith("image/"):
            metadata[mime] = {**metadata.get(mime, {}), "alt": text}
    return (data, metadata), CAPTION_PREFIX + "\n  ".join(lines)


def show_figure(fig=None, alt=None):
    """Show ``fig`` with its text alternative and a caption below it, then close it.

    The one way the lab's figures are shown: the picture carries ``alt`` in
    its output metadata (nbconvert's HTML writes it), and the caption is
    printed right below it, where every front end and screen reader shows it.

    Parameters
    ----------
    fig : matplotlib Figure, optional
        The current figure if omitted.
    alt : str, optional
        The text alternative; computed from the figure's panels if omitted
        (see :func:`describe`).
    """
    from IPython import get_ipython
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    (data, metadata), caption = figure_outputs(fig, alt)
    if get_ipython() is not None:
        display(data, metadata=metadata, raw=True)
    print(caption, flush=True)
    plt.close(fig)


def _new_axes(ax, projection=None, figsize=(6, 5)):
    if ax is not None:
        if projection == "3d" and getattr(ax, "name", None) != "3d":
            raise ValueError("ax must be a 3-D axes (projection='3d')")
        return ax
    fig = plt.figure(figsize=figsize)
    return fig.add_subplot(projection=projection)


def plot_data_points(X, idx, K=None, ax=None):
    """Scatter 2-D examples, coloured by the cluster they belong to.

    Parameters
    ----------
    X : ndarray of shape (m, 2)
    idx : ndarray of shape (m,), int
    K : int, optional
        The number of clusters; ``idx.max() + 1`` if omitted.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    X = check_points(X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (m, 2) to plot, got {X.shape}")
    idx = np.asarray(idx)
    if K is None:
        K = int(idx.max()) + 1 if idx.size else 1
    idx = check_idx(idx, X.shape[0], K)
    ax = _new_axes(ax)
    colours, markers = cluster_colours(K), cluster_markers(K)
    clusters = []
    for k in range(K):
        members = X[idx == k]
        ax.scatter(
            members[:, 0],
            members[:, 1],
            color=colours[k],
            marker=markers[k],
            s=18,
            edgecolors="none",
            label=f"cluster {k}" if k < MAX_LISTED else None,
        )
        where = f" around {_point(members.mean(axis=0))}" if len(members) else ""
        clusters.append(
            f"cluster {k}, {MARKER_NAMES[markers[k]]}: {len(members):,} "
            f"example{'' if len(members) == 1 else 's'}{where}"
        )
    if K <= len(CLUSTER_MARKERS):
        ax.legend(loc="best", fontsize="small", markerscale=1.5)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"{X.shape[0]} examples in {K} clusters")
    low, high = X.min(axis=0), X.max(axis=0)
    describe(
        ax,
        f"Scatter plot of {X.shape[0]:,} examples in {K} "
        f"cluster{'' if K == 1 else 's'}, x1 from {low[0]:.2f} to {high[0]:.2f} "
        f"and x2 from {low[1]:.2f} to {high[1]:.2f}; each cluster has its own "
        f"colour and marker: {_listing(clusters, K, 'clusters')}.",
    )
    return ax


def plot_progress_kMeans(X, centroid_history, idx, ax=None):
    """Plot the clusters and the path each centroid took.

    Parameters
    ----------
    X : ndarray of shape (m, 2)
    centroid_history : ndarray of shape (T, K, 2)
        The centroids before the first iteration and after each of the
        ``T - 1`` iterations.
    idx : ndarray of shape (m,), int
        The final assignment, coloured in the plot.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    history = np.asarray(centroid_history, dtype=float)
    if history.ndim != 3 or history.shape[2] != 2 or history.shape[0] == 0:
        raise ValueError(
            f"centroid_history must have shape (T, K, 2), got {history.shape}"
        )
    K = history.shape[1]
    ax = plot_data_points(X, idx, K, ax=ax)
    moves = []
    for k in range(K):
        path = history[:, k, :]
        ax.plot(path[:, 0], path[:, 1], "-x", color="black", lw=1, ms=6)
        ax.plot(*path[-1], "X", color=cluster_colours(K)[k], ms=14, mec="black")
        ax.annotate(
            str(k),
            path[-1],
            xytext=(7, 7),
            textcoords="offset points",
            fontweight="bold",
        )
        moves.append(f"centroid {k} from {_point(path[0])} to {_point(path[-1])}")
    iterations = history.shape[0] - 1
    ax.set_title(f"Centroid paths over {iterations} iterations")
    describe(
        ax,
        f"Black lines with crosses trace each centroid over {iterations} "
        f"iteration{'' if iterations == 1 else 's'}, ending at a large X labelled "
        f"with its number: {_listing(moves, K, 'centroids')}.",
    )
    return ax


def plot_kMeans_RGB(X, centroids, idx, K=None, ax=None, max_points=8000):
    """Show pixels as points in RGB space, with the K centroids.

    Parameters
    ----------
    X : ndarray of shape (m, 3)
        Pixel colours in [0, 1]; each point is drawn in its own colour.
    centroids : ndarray of shape (K, 3)
    idx : ndarray of shape (m,), int
        Accepted for symmetry with the 2-D plot and checked; not drawn.
    K : int, optional
        Must equal ``len(centroids)`` if given.
    ax : 3-D matplotlib Axes, optional
    max_points : int
        At most this many evenly spaced pixels are drawn.

    Returns
    -------
    matplotlib Axes (3-D)
    """
    X = check_points(X)
    if X.shape[1] != 3:
        raise ValueError(f"X must have shape (m, 3) for RGB pixels, got {X.shape}")
    centroids = check_centroids(centroids, 3)
    if K is not None and K != centroids.shape[0]:
        raise ValueError(f"K = {K} but centroids has {centroids.shape[0]} rows")
    check_idx(idx, X.shape[0], centroids.shape[0])
    if not isinstance(max_points, (int, np.integer)) or max_points < 1:
        raise ValueError(f"max_points must be a whole number >= 1, got {max_points!r}")
    ax = _new_axes(ax, projection="3d", figsize=(7, 6))
    step = max(1, int(np.ceil(X.shape[0] / max_points)))
    shown = np.clip(X[::step], 0.0, 1.0)
    ax.scatter(*shown.T, c=shown, s=2, alpha=0.4, depthshade=False)
    ax.scatter(
        *centroids.T, c="black", marker="x", s=120, linewidths=3, depthshade=False
    )
    ax.set_xlabel("R")
    ax.set_ylabel("G")
    ax.set_zlabel("B")
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_pane_color((0.3, 0.3, 0.3, 0.15))
    ax.set_title(f"Pixel colours in RGB space and the {centroids.shape[0]} centroids")
    low, high = centroids.min(axis=0), centroids.max(axis=0)
    spread = ", ".join(
        f"{name} {a:.2f} to {b:.2f}"
        for name, a, b in zip("RGB", low, high, strict=True)
    )
    drawn = f"1 pixel in {step} drawn" if step > 1 else "every pixel drawn"
    describe(
        ax,
        f"3-D scatter plot of {X.shape[0]:,} pixel colours in RGB space, each "
        f"channel from 0 to 1 ({drawn}, in its own colour), with "
        f"the {centroids.shape[0]} centroids as black crosses spread over "
        f"{spread}.",
    )
    return ax


def show_centroid_colours(centroids, ax=None):
    """Show each centroid as a swatch of its colour.

    Parameters
    ----------
    centroids : ndarray of shape (K, 3)
        RGB colours in [0, 1].
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    centroids = check_centroids(centroids, 3)
    K = centroids.shape[0]
    ax = _new_axes(ax, figsize=(max(4, 0.5 * K), 1.6))
    ax.imshow(np.clip(centroids, 0.0, 1.0)[None, :, :], aspect="equal")
    ax.set_xticks(np.arange(K))
    ax.set_yticks([])
    ax.set_xlabel("centroid index")
    ax.set_title(f"The {K} centroid colours")
    swatches = [
        f"{k} ({', '.join(str(v) for v in levels)})"
        for k, levels in enumerate(to_eight_bits(centroids))
    ]
    describe(
        ax,
        f"A row of {K} colour swatches, one per centroid in index order, as "
        f"red, green, blue from 0 to 255: {_listing(swatches, K, 'swatches')}.",
    )
    return ax


def comparison_size(shape):
    """Figure size (inches) for two images of ``shape`` side by side.

    Each panel is as wide as the photo at 100 dpi, between 3 and 4.5 inches
    (so two fit a notebook's width unscaled), and at most 6 inches tall.
    """
    height, width = shape[:2]
    panel = min(4.5, max(3.0, width / 100), 6.0 * width / height)
    return (round(2 * panel + 0.3, 1), round(panel * height / width + 0.5, 1))


def show_compression(original, compressed, K, axes=None):
    """Show the original image and its K-colour version side by side.

    Parameters
    ----------
    original, compressed : ndarray of shape (h, w, 3)
        RGB images in [0, 1], of the same shape.
    K : int
        The number of colours of ``compressed``, for its title.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    pair of matplotlib Axes
    """
    original = np.asarray(original)
    compressed = np.asarray(compressed)
    if original.ndim != 3 or original.shape[2] != 3:
        raise ValueError(f"original must have shape (h, w, 3), got {original.shape}")
    if compressed.shape != original.shape:
        raise ValueError(
            f"compressed must have the original's shape {original.shape}, "
            f"got {compressed.shape}"
        )
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=comparison_size(original.shape), layout="constrained"
        )
    left, right = axes
    left.imshow(np.clip(original, 0.0, 1.0))
    left.set_title("Original")
    right.imshow(np.clip(compressed, 0.0, 1.0))
    right.set_title(f"Compressed with {K} colours")
    for ax in (left, right):
        ax.set_axis_off()
    height, width = original.shape[:2]
    size = f"{height:,} by {width:,} pixels"
    describe(left, f"The photo as loaded, {size}.")
    colours = len(np.unique(colour_keys(to_eight_bits(compressed).reshape(-1, 3))))
    describe(
        right,
        f"The same photo, {size}, with every pixel replaced by its centroid's "
        f"colour: {colours:,} distinct colour{'' if colours == 1 else 's'}.",
    )
    return left, right
