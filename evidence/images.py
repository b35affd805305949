"""What Pillow does for evidence: read the metadata a photo carries, strip it,
and black out rectangles (a face, a name) for a redacted copy."""

from __future__ import annotations

import io
import logging
from typing import BinaryIO

from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD, Base

log = logging.getLogger("vigil.evidence")

#: formats Pillow writes back without their metadata (others get no stripped copy).
WRITABLE = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp", "TIFF": "image/tiff"}
#: why these matter to a source's safety: shown on upload.
LABELS = {
    "camera": "camera",
    "serial": "camera serial number",
    "taken": "taken at",
    "software": "software",
    "gps": "GPS position",
    "author": "author / owner",
    "text": "embedded text",
    "other_tags": "other EXIF tags",
}
IMAGE_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError)


def _open(stream: BinaryIO) -> Image.Image:
    stream.seek(0)
    image = Image.open(stream)
    image.load()
    return image


def _degrees(value, ref) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    return -result if ref in ("S", "W") else result


def read_metadata(stream: BinaryIO) -> dict[str, str]:
    """What an image carries that could identify a person, a place or a device:
    camera, serial number, time, software, GPS position, author, embedded text."""
    try:
        image = _open(stream)
    except IMAGE_ERRORS:
        return {}
    found: dict[str, str] = {}
    exif = image.getexif()
    details = exif.get_ifd(IFD.Exif)
    camera = " ".join(str(exif.get(tag, "")).strip() for tag in (Base.Make, Base.Model)).strip()
    if camera:
        found["camera"] = camera
    serial = details.get(Base.BodySerialNumber)
    if serial:
        found["serial"] = str(serial).strip()
    taken = details.get(Base.DateTimeOriginal) or exif.get(Base.DateTime)
    if taken:
        found["taken"] = str(taken)
    if exif.get(Base.Software):
        found["software"] = str(exif[Base.Software])
    owner = exif.get(Base.Artist) or details.get(Base.CameraOwnerName)
    if owner:
        found["author"] = str(owner)
    gps = exif.get_ifd(IFD.GPSInfo)
    if gps:
        try:
            latitude = _degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef, "N"))
            longitude = _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef, "E"))
            found["gps"] = f"{latitude:.5f}, {longitude:.5f}"
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            found["gps"] = "present"
    other = len(exif) + len(details) - sum(1 for key in ("camera", "software", "author") if key in found)
    if other > 0:
        found["other_tags"] = str(other)
    text = {key: value for key, value in image.info.items() if isinstance(value, str) and key not in ("dpi",)}
    if text or "xmp" in image.info or "XML:com.adobe.xmp" in image.info:
        found["text"] = ", ".join(sorted(text)) or "XMP"
    return found


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    options = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(out, format=fmt, **options)  # no exif=, no pnginfo=, no icc_profile=: nothing carried over
    return out.getvalue()


def strip_metadata(stream: BinaryIO) -> bytes | None:
    """The image re-encoded without any metadata (turned upright first, as the
    EXIF orientation said), or None when Pillow cannot write its format."""
    try:
        image = _open(stream)
        fmt = image.format
        if fmt not in WRITABLE:
            return None
        upright = ImageOps.exif_transpose(image)
        return _encode(upright, fmt)
    except IMAGE_ERRORS:
        log.warning("Could not strip the metadata of an image", exc_info=True)
        return None


def redact(stream: BinaryIO, rectangles: list[tuple[int, int, int, int]]) -> bytes:
    """The image, upright, with each rectangle (left, top, right, bottom, in its
    pixels) filled black, without metadata. ValueError when it cannot be done."""
    try:
        image = _open(stream)
    except IMAGE_ERRORS as error:
        raise ValueError(gettext("This file is not an image Vigil can redact.")) from error
    fmt = image.format if image.format in WRITABLE else "PNG"
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA", "L"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    draw = ImageDraw.Draw(upright)
    width, height = upright.size
    for left, top, right, bottom in rectangles:
        box = (
            max(0, min(left, right)),
            max(0, min(top, bottom)),
            min(width, max(left, right)),
            min(height, max(top, bottom)),
        )
        if box[2] > box[0] and box[3] > box[1]:
            draw.rectangle(box, fill="black")
    return _encode(upright, fmt)


def image_size(stream: BinaryIO) -> tuple[int, int] | None:
    try:
        return ImageOps.exif_transpose(_open(stream)).size
    except IMAGE_ERRORS:
        return None
