"""Execute a notebook with nbclient, in a kernel running this very Python."""

from pathlib import Path

import ipykernel.kernelspec
import nbclient
import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from .layout import SOURCE_NOTEBOOK

CELL_TIMEOUT = 600


class _ThisPythonKernelSpecs(KernelSpecManager):
    """Resolve every kernel name to ipykernel in the running environment.

    A kernelspec installed elsewhere (say a user-wide ``python3``) could point
    at another Python with other package versions; outputs must come from the
    pinned environment the tools run in.
    """

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES,
            **ipykernel.kernelspec.get_kernel_dict(),
        )


class _ThisPythonKernelManager(KernelManager):
    """A kernel manager that always starts this Python's ipykernel."""

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_spec_manager", _ThisPythonKernelSpecs())
        super().__init__(**kwargs)


def merge_streams(outputs):
    """Join consecutive stream outputs of the same stream into one.

    A kernel may send one cell's printed text in several messages, split
    wherever its buffer happened to flush; merged, the outputs are the same on
    every run.
    """
    merged = []
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


def execute_notebook(nb, cwd, allow_errors=False):
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


def execute_in_place(path=SOURCE_NOTEBOOK):
    """Re-run the notebook at ``path`` and write it back with its new outputs."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    execute_notebook(nb, path.parent)
    nbformat.write(nb, path)
    return path
