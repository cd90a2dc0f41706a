"""Writing the instructor's files: whole or not at all, and zips that repeat.

Every file the tools write (grades.csv, feedback, records, the class report,
results.json, the student bundle's zip, the autograder zip) goes through
:func:`write_bytes`: a temporary file beside it, renamed over it, so a
reader (or an interrupted run) sees the old file or the new one, never half.
"""

import io
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

#: The permissions of every file written: the files are shared (a gradebook
#: with a colleague, a zip published), and ``mkstemp`` makes them private.
FILE_MODE = 0o644
#: The date of every zip entry, so the same files make the same zip: the
#: earliest a zip can store (1980-01-01), which no real file could be
#: mistaken for.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole: a reader sees the old or the new file.

    The folders leading to ``path`` are made if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` whole."""
    write_bytes(path, text.encode("utf-8"))


def zip_bytes(
    files: Mapping[str, bytes | str], modes: Mapping[str, int] | None = None
) -> bytes:
    """A zip of ``files`` whose bytes depend on nothing but the files.

    Parameters
    ----------
    files : dict
        ``{name in the zip: bytes or str}``, in the order they go in.
    modes : dict, optional
        ``{name: permission bits}`` for files that are not ``0o644`` (a
        script: ``0o755``).

    Returns
    -------
    bytes
    """
    modes = modes or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            # A regular file with its permission bits.
            entry.external_attr = (0o100000 | modes.get(name, FILE_MODE)) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def write_zip(
    path: str | os.PathLike[str],
    files: Mapping[str, bytes | str],
    modes: Mapping[str, int] | None = None,
) -> list[str]:
    """Write :func:`zip_bytes` of ``files`` to ``path`` whole; return the names."""
    write_bytes(path, zip_bytes(files, modes))
    return list(files)
