"""8-bit colours: recognising them, and finding the distinct ones of an image.

A 24-bit colour fits in one integer key, ``r << 16 | g << 8 | b``, so the
distinct colours of any number of pixels come from a table of 2**24 entries,
filled and read in chunks: memory grows with the image only by the (m,)
array of indices it must return.
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
    present = np.zeros(KEYS, dtype=bool)
    for start in range(0, levels.shape[0], CHUNK_PIXELS):
        present[colour_keys(levels[start : start + CHUNK_PIXELS])] = True
    keys = np.flatnonzero(present).astype(np.uint32)
    del present
    lookup = np.zeros(KEYS, dtype=np.int32)
    lookup[keys] = np.arange(len(keys), dtype=np.int32)
    inverse = np.empty(levels.shape[0], dtype=np.int32)
    for start in range(0, levels.shape[0], CHUNK_PIXELS):
        chunk = levels[start : start + CHUNK_PIXELS]
        inverse[start : start + CHUNK_PIXELS] = lookup[colour_keys(chunk)]
    del lookup
    counts = np.bincount(inverse, minlength=len(keys))
    colours = np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=1)
    return colours.astype(np.uint8), counts, inverse
