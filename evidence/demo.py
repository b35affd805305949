"""The demo case's evidence: a generated image standing in for the photo of
the healed jaw injury (the real photos are not Vigil's to ship), with a
redacted copy. Added each time load_demo runs, once."""

from __future__ import annotations

import io

from django.db import transaction
from PIL import Image, ImageDraw

from core.history import Channel
from events.models import Event, Source
from evidence.models import EvidenceFile
from evidence.services import Links, file_upload, image_redact

DEMO_FILE_NAME = "jaw-injury-photo-standin.jpg"
FACE = (250, 90, 390, 250)  # where the stand-in's "face" is: the redacted copy blacks it out


def demo_photo() -> bytes:
    """A 640 by 400 JPEG drawn here, with the EXIF a phone would add (camera,
    serial number, a GPS position near Kyiv) so the demo shows them stripped."""
    image = Image.new("RGB", (640, 400), (214, 206, 196))
    draw = ImageDraw.Draw(image)
    draw.ellipse(FACE, fill=(196, 160, 140), outline=(120, 90, 80), width=4)
    draw.arc((285, 170, 355, 225), start=10, end=170, fill=(90, 50, 40), width=6)  # the jaw line
    draw.line((330, 215, 350, 240), fill=(150, 40, 40), width=5)  # the healed injury
    draw.text((20, 20), "Vigil demo: generated stand-in for a photo of a healed jaw injury", fill=(40, 40, 40))
    draw.text((20, 360), "Not a real photograph. Original photos were released by Jang Se-yul.", fill=(40, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"  # Make
    exif[0x0110] = "Stand-in 1"  # Model
    exif[0x0131] = "Vigil demo generator"  # Software
    exif.get_ifd(0x8769)[0xA431] = "SN-DEMO-0001"  # BodySerialNumber
    exif.get_ifd(0x8769)[0x9003] = "2025:10:02 11:30:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 27.0, 0.0)
    gps[3], gps[4] = "E", (30.0, 31.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif)
    return out.getvalue()


@transaction.atomic
def add_demo_files(sender=None, *, case, lead=None, **kwargs) -> EvidenceFile | None:
    """The photo (on Jang Se-yul's source, the medical event and Ri Jong Chol) and
    its redacted copy; nothing when the case already has it."""
    if EvidenceFile.objects.filter(case=case, original_name=DEMO_FILE_NAME).exists():
        return None
    from django.contrib.auth import get_user_model

    user = lead or get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        return None  # no one to record as having received it: the demo user comes first
    source = Source.objects.filter(title__startswith="Jang Se-yul's account").order_by("pk").first()
    event = Event.objects.filter(case=case, title__startswith="Photos show a healed jaw injury").first()
    people = [subject.person for subject in case.subjects.filter(person__display_name="Ri Jong Chol")]
    uploaded = file_upload(
        user=user,
        case=case,
        stream=io.BytesIO(demo_photo()),
        name=DEMO_FILE_NAME,
        channel=Channel.COMMAND,
        source=source,
        description="Generated stand-in for the photos showing a healed jaw injury with visible deformity.",
        links=Links(events=[event] if event else [], people=people),
    )
    image_redact(
        user=user,
        original=uploaded.file,
        rectangles=[FACE],
        note="face blacked out before sharing with partners",
        channel=Channel.COMMAND,
    )
    return uploaded.file
