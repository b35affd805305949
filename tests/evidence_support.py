"""Files for the evidence tests: images with and without metadata, a PDF, HTML."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.history import Channel
from evidence.services import Links, file_upload


def jpeg(*, exif: bool = True, colour=(120, 160, 200), size=(64, 48)) -> bytes:
    """A small JPEG; with EXIF a phone would add (camera, serial number, GPS) when asked."""
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F], tags[0x0110] = "PhoneMaker", "Model 7"
        tags.get_ifd(0x8769)[0xA431] = "SERIAL-4242"
        gps = tags.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (50.0, 27.0, 0.0), "E", (30.0, 31.0, 0.0)
        image.save(out, format="JPEG", exif=tags)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png(colour=(10, 200, 30), size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def uploaded(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def receive(user, case, data: bytes, name: str = "photo.jpg", **kwargs):
    """A file received through the service (the dashboard channel unless told)."""
    kwargs.setdefault("channel", Channel.DASHBOARD)
    links = kwargs.pop("links", None) or Links()
    return file_upload(user=user, case=case, stream=io.BytesIO(data), name=name, links=links, **kwargs)
