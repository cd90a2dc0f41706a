"""Where the lab's data live, and reading the points and images."""

from pathlib import Path

import numpy as np
import scipy.io
from PIL import Image, ImageOps, UnidentifiedImageError

from .checks import check_points

LAB_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = LAB_ROOT / "data"
POINTS_PATH = DATA_DIR / "ex7data2.mat"
PHOTO_PATH = DATA_DIR / "grace_hopper_small.png"

#: Image formats :func:`load_image` reads, as Pillow names them (MPO is the
#: JPEG that many cameras write, a JPEG with extra frames).
IMAGE_FORMATS = ("PNG", "JPEG", "MPO")
#: Pillow modes holding 16-bit grey levels (16-bit PNGs open in one of these).
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I")
#: Pillow modes that convert to RGB without loss of meaning.
_RGB_MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr")


def load_data(path=POINTS_PATH):
    """Load the 2-D sample data set.

    Parameters
    ----------
    path : str or Path
        A MATLAB ``.mat`` file holding a variable ``X``; by default
        ``data/ex7data2.mat``.

    Returns
    -------
    X : ndarray of shape (m, 2), float64
        The examples, one per row.
    """
    contents = scipy.io.loadmat(path)
    if "X" not in contents:
        raise ValueError(f"{path} holds no variable named 'X'")
    X = check_points(contents["X"]).astype(np.float64)
    if X.shape[1] != 2:
        raise ValueError(f"X in {path} must have shape (m, 2), got {X.shape}")
    return X


def read_pixels(path):
    """Read a PNG or JPEG file as RGB integers, with the EXIF orientation applied.

    Alpha is dropped and grey levels are copied into the three channels.

    Parameters
    ----------
    path : str or Path
        The image file.

    Returns
    -------
    pixels : ndarray of shape (h, w, 3), uint8 or uint16
        uint16 for 16-bit grey images, uint8 otherwise.
    full_scale : int
        The value of full intensity: 255 or 65535.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is not a PNG or JPEG image, or holds a kind of pixel
        this lab does not read.
    """
    try:
        with Image.open(path) as opened:
            if opened.format not in IMAGE_FORMATS:
                raise ValueError(
                    f"{path} is a {opened.format} image; the lab reads PNG or JPEG"
                )
            opened.load()
            # Turned in place: no copy of a photo that needs no turning.
            ImageOps.exif_transpose(opened, in_place=True)
            image = opened
            if image.mode in _SIXTEEN_BIT_MODES:
                grey = np.clip(np.asarray(image), 0, 65535).astype(np.uint16)
                return np.repeat(grey[:, :, None], 3, axis=2), 65535
            if image.mode not in _RGB_MODES:
                raise ValueError(
                    f"{path} holds pixels of mode {image.mode!r}; the lab reads "
                    "grey, palette, RGB or RGBA images with 8 or 16 bits per channel"
                )
            rgb = image if image.mode == "RGB" else image.convert("RGB")
            return np.asarray(rgb, dtype=np.uint8), 255
    except UnidentifiedImageError:
        raise ValueError(f"{path} is not an image file PNG or JPEG can read") from None
    except (OSError, SyntaxError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"{path} could not be read as an image: {error}") from None


def load_image(path):
    """Read a PNG or JPEG file as an RGB float image in [0, 1].

    Alpha is dropped, grey levels are copied into the three channels, 8-bit
    values are divided by 255 and 16-bit values by 65535.  The EXIF
    orientation tag, if any, is applied.

    Parameters
    ----------
    path : str or Path
        A PNG or JPEG file, read by :func:`read_pixels`.

    Returns
    -------
    image : ndarray of shape (h, w, 3), float64
        Red, green and blue in [0, 1].

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_pixels`, which reads the file.
    """
    pixels, full_scale = read_pixels(path)
    return pixels / float(full_scale)
