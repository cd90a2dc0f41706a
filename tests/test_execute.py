"""instructor execute: stored outputs are text, never pictures."""

import json

import nbformat
import pytest

from instructor.authoring.execute import (
    drop_image_data,
    execute_in_place,
    is_image_data,
)
from instructor.layout import SOURCE_NOTEBOOK

FIGURE_CELL = (
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(2, 1))\n"
    "ax.plot([0, 1], [1, 0])\n"
    "print('drawn')"
)


def stored_mime_types(path):
    """Every MIME type stored in the outputs of the notebook file at ``path``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {
        mime_type
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        for mime_type in output.get("data", {})
    }


@pytest.mark.kernel
def test_execute_keeps_the_text_and_drops_the_picture(tmp_path):
    path = tmp_path / "figure.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FIGURE_CELL)]
    nbformat.write(nb, path)
    execute_in_place(path)
    ran = nbformat.read(path, as_version=4).cells[0]
    assert [o.output_type for o in ran.outputs] == ["stream", "display_data"]
    assert ran.outputs[0].text == "drawn\n"
    figure = ran.outputs[1]
    assert set(figure.data) == {"text/plain"}
    assert figure.data["text/plain"] == "<Figure size 200x100 with 1 Axes>"
    assert stored_mime_types(path) == {"text/plain"}


def test_drop_image_data_removes_every_kind_of_picture_and_its_metadata():
    output = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "<Figure>",
            "image/png": "iVBORw0KGgo=",
            "image/svg+xml": "<svg/>",
            "application/pdf": "JVBERi0=",
            "text/html": "<b>kept</b>",
        },
        metadata={"image/png": {"width": 10}},
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[output])]
    drop_image_data(nb)
    assert set(nb.cells[0].outputs[0].data) == {"text/plain", "text/html"}
    assert "image/png" not in nb.cells[0].outputs[0].metadata
    assert not is_image_data("text/plain") and is_image_data("image/jpeg")


def test_the_source_notebook_stores_no_picture():
    assert not [m for m in stored_mime_types(SOURCE_NOTEBOOK) if is_image_data(m)]
