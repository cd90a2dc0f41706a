"""Read the worker's messages: plain data, bounded before it is read.

The worker (``instructor/grading/worker.py``) writes to a pipe the grader
reads.  A message is the header's length (``worker.HEADER_LENGTH``, the
format's one home: 4 bytes, big-endian), a JSON header, then the raw bytes of
the arrays the header lists (``{"key", "dtype", "shape"}``).  Nothing is
unpickled or decompressed, no file or link is opened, and every size is
checked against a cap before anything is allocated: the student's code runs
in the worker and may write anything to that pipe.
"""

import json
import math
import re
import struct
from typing import Any

import numpy as np
from numpy.typing import NDArray

from instructor.grading.worker import HEADER_LENGTH

#: The largest JSON header accepted.
MAX_HEADER_BYTES = 1 << 20
#: Array types accepted: booleans, numbers, dates and durations, one value each.
_DTYPE = re.compile(r"[<>|=]?[biufcmM][1-9][0-9]*(\[[0-9]*[a-zA-Z]+\])?")
_MAX_DIMENSIONS = 32


class ProtocolError(ValueError):
    """The worker's bytes are not a well-formed message within the caps."""


def _array_size(
    entry: Any, budget: int
) -> tuple[str, np.dtype[Any], tuple[int, ...], int]:
    """Check one array's description; return (key, dtype, shape, byte count)."""
    if not isinstance(entry, dict):
        raise ProtocolError("an array description is not an object")
    key, dtype, shape = entry.get("key"), entry.get("dtype"), entry.get("shape")
    if not isinstance(key, str) or not isinstance(dtype, str):
        raise ProtocolError("an array has no name or type")
    if not _DTYPE.fullmatch(dtype):
        raise ProtocolError(f"an array has a type that is not a number ({dtype!r:.40})")
    try:
        # The pattern admits strings NumPy refuses ('<i3', 'M8[foo]'): a
        # refusal is the message's fault, like any other malformed field.
        dtype = np.dtype(dtype)
    except (TypeError, ValueError, OverflowError):
        raise ProtocolError(
            f"an array has a type NumPy does not know ({dtype!r:.40})"
        ) from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biufcmM":
        raise ProtocolError("an array has a type that is not a number")
    if (
        not isinstance(shape, list)
        or len(shape) > _MAX_DIMENSIONS
        or not all(type(n) is int and 0 <= n <= budget for n in shape)
    ):
        raise ProtocolError("an array has a malformed shape")
    count = math.prod(shape)
    if count > budget:
        raise ProtocolError("an array is larger than the results may be")
    return key, dtype, tuple(shape), count * dtype.itemsize


def next_message(
    buffer: bytes | bytearray, start: int, limit: int
) -> tuple[dict[str, Any], dict[str, NDArray[Any]], int] | None:
    """Parse the message at ``buffer[start:]`` if it has fully arrived.

    Whatever the bytes are, the only exception is :class:`ProtocolError`:
    a worker's message can blame its author (that submission "crashed"),
    never stop the grader.

    Parameters
    ----------
    buffer : bytes-like
        Everything read from the worker so far.
    start : int
        Where the message begins.
    limit : int
        The most bytes the worker's results may take in all.

    Returns
    -------
    None if the message is incomplete, else ``(header, arrays, end)``:
    the JSON header (a dict), ``{key: ndarray}`` and where the next message
    starts.

    Raises
    ------
    ProtocolError
        As soon as the bytes cannot be the start of a valid message, or claim
        more than ``limit`` bytes.
    """
    prefix = struct.calcsize(HEADER_LENGTH)
    if len(buffer) - start < prefix:
        return None
    (head_size,) = struct.unpack_from(HEADER_LENGTH, buffer, start)
    if head_size > MAX_HEADER_BYTES or head_size > limit:
        raise ProtocolError(f"a header of {head_size} bytes is too large")
    head_end = start + prefix + head_size
    if len(buffer) < head_end:
        return None
    try:
        header = json.loads(bytes(buffer[start + prefix : head_end]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ProtocolError(f"a header is not JSON ({type(error).__name__})") from None
    if not isinstance(header, dict) or not isinstance(header.get("arrays"), list):
        raise ProtocolError("a header is not an object with a list of arrays")
    described: list[tuple[str, np.dtype[Any], tuple[int, ...], int]] = []
    total = 0
    for entry in header["arrays"]:
        key, dtype, shape, size = _array_size(entry, limit)
        total += size
        if head_end + total > limit:
            raise ProtocolError(f"the results are larger than {limit} bytes")
        described.append((key, dtype, shape, size))
    end = head_end + total
    if len(buffer) < end:
        return None
    arrays: dict[str, NDArray[Any]] = {}
    offset = head_end
    for key, dtype, shape, size in described:
        data = bytes(buffer[offset : offset + size])
        arrays[key] = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        offset += size
    return header, arrays, end
