"""Execute a notebook with nbclient, in a kernel running this very Python."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipykernel.kernelspec
import nbclient
import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbformat import NotebookNode

from instructor.layout import SOURCE_NOTEBOOK

CELL_TIMEOUT = 600


class _ThisPythonKernelSpecs(KernelSpecManager):
    """Resolve every kernel name to ipykernel in the running environment.

    A kernelspec installed elsewhere (say a user-wide ``python3``) could point
    at another Python with other package versions; outputs must come from the
    pinned environment the tools run in.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES,
            **ipykernel.kernelspec.get_kernel_dict(),
        )


class _ThisPythonKernelManager(KernelManager):
    """A kernel manager that always starts this Python's ipykernel."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_spec_manager", _ThisPythonKernelSpecs())
        super().__init__(**kwargs)


def merge_streams(outputs: Iterable[Any]) -> list[Any]:
    """Join consecutive stream outputs of the same stream into one.

    A kernel may send one cell's printed text in several messages, split
    wherever its buffer happened to flush; merged, the outputs are the same on
    every run.
    """
    merged: list[Any] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def is_image_data(mime_type: str) -> bool:
    """True for the MIME types of pictures (PNG, JPEG, SVG, GIF, PDF)."""
    return mime_type.startswith("image/") or mime_type == "application/pdf"


def drop_image_data(nb: NotebookNode) -> NotebookNode:
    """Remove every picture from the code cells' outputs; keep their text.

    nbval never compares pictures, and stored ones make up nearly all of a
    notebook's bytes; a figure keeps its ``text/plain`` line, which nbval does
    compare.  Returns ``nb``.
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if "data" not in output:
                continue
            for mime_type in [m for m in output.data if is_image_data(m)]:
                del output.data[mime_type]
                output.get("metadata", {}).pop(mime_type, None)
    return nb


def execute_notebook(
    nb: NotebookNode, cwd: str | Path, allow_errors: bool = False
) -> NotebookNode:
    """Run every cell of ``nb`` in a fresh kernel started in ``cwd``; return ``nb``.

    Cell timing is not recorded and printed text is merged per stream, so
    re-running an unchanged notebook gives the same outputs.
    """
    client = nbclient.NotebookClient(
        nb,
        kernel_manager_class=_ThisPythonKernelManager,
        timeout=CELL_TIMEOUT,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return nb


def execute_in_place(path: str | Path = SOURCE_NOTEBOOK) -> Path:
    """Re-run the notebook at ``path`` and write it back with its text outputs.

    Pictures are dropped (:func:`drop_image_data`), so a changed figure does
    not add a megabyte to the repository's history.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    drop_image_data(execute_notebook(nb, path.parent))
    nbformat.write(nb, path)
    return path
