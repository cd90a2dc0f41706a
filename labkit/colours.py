"""8-bit colours: recognising them, and finding the distinct ones of an image.

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


def colour_keys(levels):
    """Return the 24-bit key of each row of an (m, 3) uint8 array, as uint32."""
    levels = levels.astype(np.uint32)
    return (levels[:, 0] << 16) | (levels[:, 1] << 8) | levels[:, 2]


def eight_bit_levels(X):
    """Return ``round(255 X)`` as uint8 if all of X is on 8-bit levels, else None.

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
        scaled = X[start : start + CHUNK_PIXELS] * 255.0
        rounded = np.rint(scaled)
        if (
            rounded.min() < 0
            or rounded.max() > 255
            or np.abs(scaled - rounded).max() > LEVEL_TOLERANCE
        ):
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
