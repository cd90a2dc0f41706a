"""8-bit colours: rounding to them, recognising them, and counting them.

A 24-bit colour fits in one integer key, ``r << 16 | g << 8 | b``, so the
distinct colours of any number of pixels come from a table of 2**24 entries:
no sorting, and memory of a few bytes per pixel beyond the fixed tables.
"""

import numpy as np

KEYS = 1 << 24
#: Pixels handled at once when computing keys.
CHUNK_PIXELS = 1 << 20
#: How far from an 8-bit level (in units of 1/255) a value may be and count as it.
LEVEL_TOLERANCE = 1e-3


def to_eight_bits(values):
    """Round values in [0, 1] to 8-bit levels: ``rint(255 clip(values, 0, 1))``.

    The one rounding the lab uses, for palettes, images and colour checks.

    Parameters
    ----------
    values : array-like of float
        Any shape.

    Returns
    -------
    ndarray of uint8, the same shape
    """
    scaled = np.multiply(values, 255.0)
    np.clip(scaled, 0.0, 255.0, out=scaled)
    return np.rint(scaled, out=scaled).astype(np.uint8)


def colour_keys(levels, bits=8):
    """Return the key of each row of an (m, 3) uint8 array, as uint32.

    With ``bits`` < 8 only the top ``bits`` bits of each channel count, so
    the key names a box of ``2**(8 - bits)`` levels per side.
    """
    shift = 8 - bits
    keys = np.zeros(levels.shape[0], dtype=np.uint32)
    for channel, place in ((0, 2 * bits), (1, bits), (2, 0)):
        part = levels[:, channel].astype(np.uint32)
        if shift:
            part >>= shift
        part <<= place
        keys |= part
    return keys


def eight_bit_levels(X):
    """Return X's 8-bit levels as uint8 if all of X is on 8-bit levels, else None.

    Parameters
    ----------
    X : ndarray of shape (m, 3), float
        Colours in [0, 1].

    Returns
    -------
    ndarray of shape (m, 3), uint8, or None
    """
    if X.ndim != 2 or X.shape[1] != 3 or not np.issubdtype(X.dtype, np.floating):
        return None
    levels = np.empty(X.shape, dtype=np.uint8)
    for start in range(0, X.shape[0], CHUNK_PIXELS):
        chunk = X[start : start + CHUNK_PIXELS]
        rounded = to_eight_bits(chunk)
        # Off a level by more than the tolerance, or outside [0, 1] (which the
        # rounding clipped): not 8-bit colours.
        gap = np.subtract(chunk, rounded / np.float32(255.0), dtype=chunk.dtype)
        if np.abs(gap, out=gap).max() > LEVEL_TOLERANCE / 255.0:
            return None
        levels[start : start + CHUNK_PIXELS] = rounded
    return levels


def distinct_colours(levels):
    """Find the distinct colours of (m, 3) uint8 pixels.

    Returns
    -------
    colours : ndarray of shape (u, 3), uint8
        The distinct colours, in increasing key order.
    counts : ndarray of shape (u,), int64
        How many pixels have each colour.
    inverse : ndarray of shape (m,), int32
        ``colours[inverse]`` gives the pixels back.
    """
    keys = np.empty(levels.shape[0], dtype=np.uint32)
    for start in range(0, levels.shape[0], CHUNK_PIXELS):
        keys[start : start + CHUNK_PIXELS] = colour_keys(
            levels[start : start + CHUNK_PIXELS]
        )
    present = np.zeros(KEYS, dtype=bool)
    present[keys] = True
    distinct = np.flatnonzero(present).astype(np.uint32)
    del present
    lookup = np.zeros(KEYS, dtype=np.int32)
    lookup[distinct] = np.arange(len(distinct), dtype=np.int32)
    inverse = lookup[keys]
    del lookup, keys
    counts = np.bincount(inverse, minlength=len(distinct))
    colours = np.stack(
        [(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1
    )
    return colours.astype(np.uint8), counts, inverse


def colour_boxes(colours, counts, bits):
    """Group distinct colours into boxes of ``2**(8 - bits)`` levels per channel.

    A coarse histogram: each occupied box stands for its pixels by their mean
    colour and their number, so a weighted K-means on the boxes approximates
    the one on the colours with far fewer rows.

    Parameters
    ----------
    colours : ndarray of shape (u, 3), uint8
    counts : ndarray of shape (u,)
        The number of pixels of each colour.
    bits : int
        Bits per channel kept, 1 to 8.

    Returns
    -------
    means : ndarray of shape (b, 3), float64
        The mean colour of each occupied box's pixels, in [0, 1].
    weights : ndarray of shape (b,), float64
        The number of pixels in each box.
    """
    keys = colour_keys(colours, bits)
    present = np.zeros(1 << (3 * bits), dtype=bool)
    present[keys] = True
    lookup = np.cumsum(present, dtype=np.int64) - 1
    box = lookup[keys]
    boxes = int(present.sum())
    weights = np.bincount(box, weights=counts, minlength=boxes)
    totals = np.stack(
        [
            np.bincount(box, weights=counts * colours[:, j], minlength=boxes)
            for j in range(3)
        ],
        axis=1,
    )
    return totals / (255.0 * weights[:, np.newaxis]), weights
