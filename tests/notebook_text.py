"""Notebook source text as the tests compare it."""

import re


def without_settings(text):
    """The text with the setup cell's release settings left out.

    ``release`` writes ``LAB_FLOORS``, ``BUNDLE_URL`` and ``BUNDLE_SHA256``
    into the student notebook; everything else must stay as in the source.
    """
    text = re.sub(r"LAB_FLOORS = \{[^}]*\}", "LAB_FLOORS = ...", text)
    return re.sub(r"^(BUNDLE_URL|BUNDLE_SHA256) = .*$", r"\1 = ...", text, flags=re.M)


#: A number as the notebook prints it: thousands separators, decimals.
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def cell_by_id(nb, cell_id):
    """The cell of ``nb`` whose id is ``cell_id``."""
    return next(cell for cell in nb.cells if cell.get("id") == cell_id)


def printed(cell):
    """All that a code cell printed to stdout, as one text."""
    return "".join(
        output.text
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.name == "stdout"
    )


def printed_numbers(cell):
    """The numbers a code cell printed, as printed (``"4,206"``, ``"7.37"``)."""
    return NUMBER.findall(printed(cell))


def markdown_numbers(cell):
    """The numbers a markdown cell's prose states, outside its formulas."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", cell.source, flags=re.S)
    return [n.rstrip(",") for n in NUMBER.findall(text)]
