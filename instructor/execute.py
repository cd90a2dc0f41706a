"""Execute a notebook in place with nbclient, so its stored outputs are fresh."""

from pathlib import Path

import nbclient
import nbformat

from .layout import SOURCE_NOTEBOOK

CELL_TIMEOUT = 600


def execute_notebook(nb, cwd, allow_errors=False):
    """Run every cell of ``nb`` in a fresh kernel started in ``cwd``; return ``nb``.

    The kernel is this Python's own (``python3``); cell timing is not recorded
    so that re-running an unchanged notebook changes nothing but outputs.
    """
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return nb


def execute_in_place(path=SOURCE_NOTEBOOK):
    """Re-run the notebook at ``path`` and write it back with its new outputs."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    execute_notebook(nb, path.parent)
    nbformat.write(nb, path)
    return path
