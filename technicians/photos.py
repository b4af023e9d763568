"""Profile photos: checked by content, re-encoded without metadata, thumbnailed.

An upload is accepted only if Pillow recognises it as a JPEG, PNG, WebP or GIF (never SVG,
whatever its name says), it is at most 5 MB and at most `max_pixels()` (25 megapixels unless
the PORTAL_PHOTO_MAX_PIXELS setting says otherwise), read from the file's header before a
single pixel is decoded: a small file can hold a huge single-colour image. It is then rotated as
its EXIF orientation says, and re-encoded (JPEG, or PNG when it has real transparency), which
drops EXIF, GPS, ICC and every other metadata. A square thumbnail is made alongside.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageFile, ImageOps

from portal.uploads import FileTooLarge, read_capped

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # the default of settings.PORTAL_PHOTO_MAX_PIXELS
FULL_MAX_SIDE = 1600
THUMBNAIL_SIDE = 256
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}
WHAT_WE_TAKE = "Upload a JPEG, PNG, WebP or GIF photo of at most 5 MB."


class PhotoError(ValidationError):
    """The upload cannot be used as a photo; the message says why, for the person uploading."""


def max_pixels() -> int:
    return int(getattr(settings, "PORTAL_PHOTO_MAX_PIXELS", MAX_PIXELS))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g} megapixels"


# Pillow's own guard, for every image the portal opens (photos and evidence): Image.open
# refuses outright over twice this many pixels (DecompressionBombError).
Image.MAX_IMAGE_PIXELS = max_pixels()


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: the re-encoded image and its square thumbnail."""

    full: bytes
    thumbnail: bytes
    extension: str  # ".jpg" or ".png"

    def full_file(self) -> ContentFile:
        return ContentFile(self.full, name=f"photo{self.extension}")

    def thumbnail_file(self) -> ContentFile:
        return ContentFile(self.thumbnail, name=f"thumbnail{self.extension}")


def display_name(upload) -> str:
    name = PurePath(getattr(upload, "name", "") or "photo").name or "photo"
    return name if len(name) <= 80 else f"{name[:77]}…"


def _read_capped(upload) -> bytes:
    """The upload's bytes, refusing more than MAX_BYTES without reading them all."""
    name = display_name(upload)

    def too_large(size: int | None) -> str:
        if size is None:
            return f"“{name}” is over 5 MB: a photo can be at most 5 MB."
        return f"“{name}” is {size / (1024 * 1024):.1f} MB: a photo can be at most 5 MB."

    try:
        return read_capped(upload, MAX_BYTES, too_large=too_large)
    except FileTooLarge as error:
        raise PhotoError(error.messages[0], code="too_big") from None


def _not_an_image(name: str) -> PhotoError:
    return PhotoError(f"“{name}” is not an image we can use. {WHAT_WE_TAKE}", code="not_image")


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        alpha = image.getchannel("A")
    elif "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
    else:
        return False
    low, _high = alpha.getextrema()
    return low < 255


def _encode(image: Image.Image, extension: str) -> bytes:
    buffer = BytesIO()
    # A fresh image carries no EXIF, ICC profile, comments or XMP: nothing but pixels.
    image.info = {}
    if extension == ".png":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """WeasyPrint (PDF reports) sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process when
    it is imported, so that a process which has rendered a PDF would take a truncated photo and
    pad it with grey. Photos are decoded strictly whatever else the process did."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def process_photo(upload) -> ProcessedPhoto:
    """Check an uploaded file and turn it into a clean photo and thumbnail.

    Raises PhotoError (a ValidationError) with a message for the uploader when the file is
    too big, is not a JPEG/PNG/WebP/GIF image, is damaged, or has too many pixels.
    """
    name = display_name(upload)
    data = _read_capped(upload)
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns: the size check below refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Image.open reads the header only: the size is known before any pixel is decoded.
            with Image.open(BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                width, height = probe.size
                if width * height > limit:
                    raise PhotoError(
                        f"“{name}” is {width}×{height} pixels, too large to use. "
                        f"Upload a photo of at most {_megapixels(limit)}.",
                        code="too_many_pixels",
                    )
                probe.verify()  # structural check; the image cannot be used after this
            with (
                _truncated_images_refused(),
                Image.open(BytesIO(data), formats=ALLOWED_FORMATS) as image,
            ):
                image.seek(0)  # the first frame of an animation
                image.load()  # decodes every pixel: a truncated file fails here
                upright = ImageOps.exif_transpose(image) or image
                transparent = _has_transparency(upright)
                clean = upright.convert("RGBA" if transparent else "RGB")
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(
            f"“{name}” has too many pixels to use. Upload a photo of at most {_megapixels(limit)}.",
            code="too_many_pixels",
        ) from error
    except Exception as error:  # anything Pillow cannot decode is simply not a photo for us
        raise _not_an_image(name) from error

    extension = ".png" if transparent else ".jpg"
    full = clean.copy()
    full.thumbnail((FULL_MAX_SIDE, FULL_MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(
        clean,
        (THUMBNAIL_SIDE, THUMBNAIL_SIDE),
        method=Image.Resampling.LANCZOS,
        centering=(0.5, 0.4),
    )
    return ProcessedPhoto(
        full=_encode(full, extension),
        thumbnail=_encode(thumbnail, extension),
        extension=extension,
    )


def content_type_for(file_name: str) -> str:
    return CONTENT_TYPES.get(PurePath(file_name).suffix.lower(), "application/octet-stream")
