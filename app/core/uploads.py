"""Photos from residents: decoded, turned upright, re-encoded without metadata, stored twice.

Only the pixels survive: every image is decoded by Pillow, rotated by its EXIF orientation
and written again as a plain JPEG, so no EXIF (GPS position included), comments or
smuggled payloads reach the disk. The type is read from the content, never from the name.

Pillow (and the HEIF plugin) load on the first photo, not with the app: most requests of a
web worker never touch an image, and the worker should not carry them.
"""

from __future__ import annotations

import functools
import io
import os
import re
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from app.i18n import _l

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZES = (400, 1200)
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


@functools.cache
def _pillow():
    """Pillow, configured once: the pixel limit, and HEIC photos when the plugin loads."""
    from PIL import Image

    # Pillow refuses anything far beyond our limit before decoding it (decompression bombs).
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:  # HEIC photos from iPhones, when the library loads on this system.
        from pillow_heif import register_heif_opener

        register_heif_opener()
        ACCEPTED_FORMATS.add("HEIF")
    except ImportError:  # pragma: no cover - depends on the system
        pass
    return Image


ACCEPT_ATTRIBUTE = (
    "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic"
)


class ImageRejected(ValueError):
    """The upload is not a photo we accept; `message` is shown to the user."""

    def __init__(self, message):
        super().__init__("image rejected")
        self.message = message  # lazy: translated when shown


@dataclass(frozen=True)
class StoredImage:
    stem: str
    width: int
    height: int


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def image_path(stem: str, size: int) -> Path:
    """Where the `size` px version of a stored image lives."""
    if size not in SIZES or not stem.isalnum():
        raise ValueError("unknown image")
    return upload_dir() / f"{stem}-{size}.jpg"


def _read_limited(file_storage) -> bytes:
    data = file_storage.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRejected(_l("The photo is larger than 10 MB. Please choose a smaller one."))
    if not data:
        raise ImageRejected(_l("The photo file is empty."))
    return data


def _decode(data: bytes) -> Image.Image:
    from PIL import UnidentifiedImageError

    Image = _pillow()
    not_a_photo = _l(
        "This file is not a photo we can use. Please choose a JPEG, PNG or WebP image."
    )
    too_big = _l("The photo has more than 40 megapixels. Please choose a smaller one.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected(not_a_photo)
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(too_big)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(too_big) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            if isinstance(error, ImageRejected):
                raise
            raise ImageRejected(not_a_photo) from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Upright RGB pixels: orientation applied, transparency over white."""
    from PIL import ImageOps

    Image = _pillow()
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _write_atomically(image: Image.Image, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".jpg")
    try:
        with os.fdopen(handle, "wb") as out:
            # No exif= argument: Pillow writes no metadata at all.
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store_image(file_storage) -> StoredImage:
    """Check, clean and store an uploaded photo in two sizes; raises ImageRejected.

    Either both versions are written or none is.
    """
    Image = _pillow()
    image = _flatten(_decode(_read_limited(file_storage)))
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_hex(16)
    written: list[Path] = []
    try:
        for size in SIZES:
            version = image.copy()
            version.thumbnail((size, size), Image.Resampling.LANCZOS)
            target = image_path(stem, size)
            _write_atomically(version, target)
            written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return StoredImage(stem=stem, width=image.width, height=image.height)


_STORED_NAME = re.compile(r"^([0-9a-f]{32})-(\d+)\.jpg$")


def stored_stems_older_than(moment: float) -> set[str]:
    """Stems of the stored images whose files were all written before `moment` (epoch
    seconds)."""
    old, young = set(), set()
    directory = upload_dir()
    if not directory.is_dir():
        return old
    for entry in os.scandir(directory):
        match = _STORED_NAME.match(entry.name)
        if match and entry.is_file():
            (old if entry.stat().st_mtime < moment else young).add(match.group(1))
    return old - young


def delete_image(stem: str) -> None:
    """Remove every stored version of an image (missing files are fine)."""
    for size in SIZES:
        image_path(stem, size).unlink(missing_ok=True)
