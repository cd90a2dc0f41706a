"""What the browser test requires of a page after Run All.

:func:`problems` reads the cells :func:`jupyterlab.read_page` returned and
lists what a student would see wrong, each as ``(kind, message)``: the kinds
are ``"not run"``, ``"error"`` (a stderr or error box), ``"figure"`` (a
figure missing or not shown as an image), ``"shrunk"`` (a figure drawn
narrower than its pixels), ``"alt"`` (a figure without a text alternative),
``"repr"`` and ``"nan"``.
"""

import re

from .jupyterlab import STDERR_MIME

#: A figure may be drawn this much narrower than its pixels before its text
#: (tick labels of 10 pt at 100 dpi, 14 px) becomes too small to read.
MIN_WIDTH_RATIO = 0.9
#: Text that is an object's repr rather than something the lab prints: an
#: address, a ``<module.Class ...>``, or a result shown as ``Name(...)``
#: (matplotlib's ``Text(0.5, 1.0, 'title')``).
OBJECT_REPR = re.compile(
    r" at 0x[0-9a-f]+|<matplotlib\.|^<[A-Za-z_][\w.]* |^[A-Za-z_][\w.]*\(.*\)$", re.M
)
NOT_A_NUMBER = re.compile(r"\bnan\b", re.IGNORECASE)
TEXT_MIMES = ("application/vnd.jupyter.stdout", "text/plain")


def problems(cells, figures, stops_at=None):
    """What is wrong on the page, as ``[(kind, message), ...]``.

    Parameters
    ----------
    cells : list of jupyterlab.Cell
        The notebook's code cells as the page shows them.
    figures : list of int
        How many figures each code cell should show once it has run.
    stops_at : int or None
        The code cell where Run All should stop with the one error box of the
        page; None when Run All should run every cell without an error.
    """
    found = []
    if len(cells) != len(figures):
        found.append(
            ("not run", f"the page shows {len(cells)} code cells, not {len(figures)}")
        )
    last = len(cells) - 1 if stops_at is None else stops_at
    for cell in cells:
        where = f"code cell {cell.number} ({cell.prompt})"
        if cell.number <= last and not cell.ran:
            found.append(("not run", f"{where} did not run"))
        if cell.number > last and cell.ran:
            found.append(
                ("not run", f"{where} ran after the cell Run All should stop at")
            )
        for output in cell.outputs:
            if output.mime == STDERR_MIME and cell.number != stops_at:
                found.append(
                    (
                        "error",
                        f"{where} shows a stderr or error box: {output.text[:300]!r}",
                    )
                )
            if output.mime in TEXT_MIMES:
                if OBJECT_REPR.search(output.text):
                    found.append(
                        (
                            "repr",
                            f"{where} prints an object repr: {output.text[:200]!r}",
                        )
                    )
                if NOT_A_NUMBER.search(output.text):
                    found.append(("nan", f"{where} prints NaN: {output.text[:200]!r}"))
        images = [o for o in cell.outputs if o.image is not None]
        if (
            cell.ran
            and cell.number < len(figures)
            and len(images) != figures[cell.number]
        ):
            found.append(
                (
                    "figure",
                    f"{where} shows {len(images)} figures, not {figures[cell.number]}",
                )
            )
        for output in images:
            image = output.image
            if not image["complete"] or image["naturalWidth"] == 0:
                found.append(("figure", f"{where}: a figure did not load"))
                continue
            ratio = image["clientWidth"] / image["naturalWidth"]
            if ratio < MIN_WIDTH_RATIO:
                found.append(
                    (
                        "shrunk",
                        f"{where}: a figure {image['naturalWidth']} px wide is "
                        f"drawn {image['clientWidth']} px wide ({ratio:.0%}); "
                        f"see {output.screenshot}",
                    )
                )
    found += figure_text_problems(cells)
    if stops_at is not None:
        boxes = (
            [o for o in cells[stops_at].outputs if o.mime == STDERR_MIME]
            if stops_at < len(cells)
            else []
        )
        if len(boxes) != 1:
            found.append(
                ("error", f"code cell {stops_at} shows {len(boxes)} error boxes, not 1")
            )
    return found


#: What the caption printed right below a figure starts with.
CAPTION_START = "Figure: "
#: A text alternative says at least this many words: more than "image",
#: "figure" or a file name.
MIN_ALT_WORDS = 6


def _says_enough(text):
    words = (text or "").split()
    return len(words) >= MIN_ALT_WORDS and not OBJECT_REPR.search(text)


def figure_text_problems(cells):
    """Figures a screen reader cannot put into words, as ``[("alt", message)]``.

    A figure has a text alternative if its ``<img>`` has a real accessible
    name (``alt`` or ``aria-label`` of a few words, not a repr), or if the
    output right after it is a caption: printed text that starts with
    :data:`CAPTION_START` and says a few words.  JupyterLab 4 draws no ``alt``
    from output metadata, so on its page the caption is what is read.
    """
    found = []
    for cell in cells:
        for k, output in enumerate(cell.outputs):
            if output.image is None:
                continue
            name = output.image.get("alt") or output.image.get("label")
            if _says_enough(name):
                continue
            after = cell.outputs[k + 1] if k + 1 < len(cell.outputs) else None
            caption = after.text.strip() if after and after.image is None else ""
            if caption.startswith(CAPTION_START.strip()) and _says_enough(
                caption[len(CAPTION_START) :]
            ):
                continue
            found.append(
                (
                    "alt",
                    f"code cell {cell.number} ({cell.prompt}): figure {k} has no "
                    "alt text and no caption right after it; see "
                    f"{output.screenshot}",
                )
            )
    return found


def error_box(cells, number):
    """The text of the stderr or error box of code cell ``number``."""
    [box] = [o for o in cells[number].outputs if o.mime == STDERR_MIME]
    return box


ESTIMATE = re.compile(r"^Estimate: (under a second|about (\d+) (s|min)) for ", re.M)


def announced_seconds(cells):
    """The time the notebook's estimates announce in all, read at its upper end.

    Each "Estimate: about N s" (or "N min", or "under a second") line counts
    as the most its rounding allows: N + 0.5 units, or 1 s. Returns
    ``(seconds, number of estimates)``.
    """
    total, count = 0.0, 0
    for cell in cells:
        for output in cell.outputs:
            if output.mime != TEXT_MIMES[0]:
                continue
            for match in ESTIMATE.finditer(output.text):
                count += 1
                if match.group(2) is None:
                    total += 1.0
                else:
                    unit = 60 if match.group(3) == "min" else 1
                    total += (int(match.group(2)) + 0.5) * unit
    return total, count
