"""Profile photos: checked by content, re-encoded without metadata, thumbnailed, stored under
random names, and served only to those who may see the profile."""

import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from technicians import photos, services
from technicians.models import Technician
from tests import factories

RANDOM_NAME = re.compile(r"^photos/[0-9a-f]{32}\.(jpg|png)$")


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def noisy_jpeg(size=(400, 300), **save_options) -> bytes:
    buffer = BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb's first bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


# --- processing -------------------------------------------------------------------------


def test_a_jpeg_is_re_encoded_without_its_metadata_and_gets_a_square_thumbnail():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x010E] = "Taken at home, 12 Acacia Avenue"  # ImageDescription
    original = noisy_jpeg(size=(640, 480), exif=exif.tobytes(), comment=b"secret comment")
    assert b"SpyCam" in original

    result = photos.process_photo(upload("holiday.jpg", original))

    assert result.extension == ".jpg"
    full, thumb = opened(result.full), opened(result.thumbnail)
    assert full.format == "JPEG" and full.size == (640, 480)
    assert thumb.format == "JPEG" and thumb.size == (256, 256)
    for data, image in ((result.full, full), (result.thumbnail, thumb)):
        assert not image.getexif()
        assert b"SpyCam" not in data and b"Acacia" not in data and b"secret" not in data
        assert "icc_profile" not in image.info


def test_the_exif_orientation_is_applied_before_the_metadata_goes():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    buffer = BytesIO()
    Image.new("RGB", (60, 40), "red").save(buffer, format="JPEG", exif=exif.tobytes())

    result = photos.process_photo(upload("sideways.jpg", buffer.getvalue()))

    full = opened(result.full)
    assert full.size == (40, 60)
    assert not full.getexif()


def test_big_photos_are_scaled_down():
    result = photos.process_photo(upload("big.jpg", noisy_jpeg(size=(3200, 1000))))
    assert opened(result.full).size == (1600, 500)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_png_webp_and_gif_photos_without_transparency_become_jpeg(fmt):
    result = photos.process_photo(upload(f"me.{fmt.lower()}", factories.image_bytes(fmt)))
    assert result.extension == ".jpg"
    assert opened(result.full).format == "JPEG"
    assert opened(result.thumbnail).size == (256, 256)


def test_a_png_with_transparency_stays_a_png_with_its_transparency():
    data = factories.image_bytes("PNG", size=(80, 80), color=(0, 128, 0, 0), mode="RGBA")
    result = photos.process_photo(upload("logo.png", data, "image/png"))
    assert result.extension == ".png"
    full = opened(result.full)
    assert full.format == "PNG" and full.mode == "RGBA"
    assert full.getchannel("A").getextrema() == (0, 0)


REFUSALS = {
    "a text file renamed .jpg": (
        "notes.jpg",
        b"Dear HR, please find attached my notes.\n" * 20,
        "“notes.jpg” is not an image we can use",
    ),
    "an SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
        "“logo.svg” is not an image we can use",
    ),
    "an SVG renamed .png": (
        "logo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "“logo.png” is not an image we can use",
    ),
    "a truncated JPEG": (
        "cut.jpg",
        noisy_jpeg()[:3000],
        "“cut.jpg” is not an image we can use",
    ),
    "a corrupt PNG": (
        "broken.png",
        factories.image_bytes("PNG")[:40] + b"\x00garbage\x00" + factories.image_bytes("PNG")[49:],
        "“broken.png” is not an image we can use",
    ),
    "a BMP": ("old.bmp", factories.image_bytes("BMP"), "“old.bmp” is not an image we can use"),
    "an empty file": ("empty.jpg", b"", "“empty.jpg” is not an image we can use"),
    "a file over 5 MB": (
        "huge.jpg",
        noisy_jpeg() + b"\x00" * (5 * 1024 * 1024),
        "a photo can be at most 5 MB",
    ),
    "a 49-megapixel picture": (
        "wide.png",
        png_claiming(7000, 7000),
        "“wide.png” is 7000×7000 pixels, too large to use",
    ),
    "a decompression bomb": (
        "bomb.png",
        png_claiming(40000, 40000),
        "“bomb.png” has too many pixels to use",
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_unusable_files_are_refused_with_a_clear_message(case):
    name, data, message = REFUSALS[case]
    with pytest.raises(photos.PhotoError) as error:
        photos.process_photo(upload(name, data))
    assert message in error.value.messages[0]


# --- through the profile page -------------------------------------------------------------


def profile_post(technician, **extra):
    data = {
        "bio": technician.bio,
        "expertise": technician.expertise,
        "equipment": technician.equipment,
        "orcid": technician.orcid,
        "visibility": technician.visibility,
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


@pytest.fixture
def me(personas, login):
    client = login(personas.technician)
    return client, personas.technician_profile


def test_uploading_a_photo_stores_it_and_a_thumbnail_under_random_names(
    me, django_capture_on_commit_callbacks
):
    client, technician = me
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/technicians/me/",
            profile_post(technician, new_photo=upload("My Photo (1).JPG", noisy_jpeg())),
        )
    assert response.status_code == 302
    technician.refresh_from_db()
    assert RANDOM_NAME.match(technician.photo.name)
    assert RANDOM_NAME.match(technician.photo_thumbnail.name)
    assert technician.photo.name != technician.photo_thumbnail.name
    assert stored_files() == sorted([technician.photo.name, technician.photo_thumbnail.name])
    assert opened(technician.photo_thumbnail.read()).size == (256, 256)


def test_a_new_photo_replaces_the_old_files(me, django_capture_on_commit_callbacks):
    client, technician = me
    factories.attach_photo(technician)
    old = stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/technicians/me/",
            profile_post(technician, new_photo=upload("new.png", factories.image_bytes("PNG"))),
        )
    technician.refresh_from_db()
    assert stored_files() == sorted([technician.photo.name, technician.photo_thumbnail.name])
    assert not set(old) & set(stored_files())


def test_removing_the_photo_deletes_its_files(me, django_capture_on_commit_callbacks):
    client, technician = me
    factories.attach_photo(technician)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/technicians/me/", profile_post(technician, remove_photo="on"))
    assert response.status_code == 302
    technician.refresh_from_db()
    assert not technician.photo and not technician.photo_thumbnail
    assert stored_files() == []


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_an_unusable_upload_shows_its_message_and_changes_nothing(
    case, me, django_capture_on_commit_callbacks
):
    client, technician = me
    factories.attach_photo(technician)
    before_files = stored_files()
    before = Technician.objects.values().get(pk=technician.pk)
    name, data, message = REFUSALS[case]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/technicians/me/",
            profile_post(
                technician, bio="A new bio that must not be saved", new_photo=upload(name, data)
            ),
        )

    assert response.status_code == 200
    if case == "an empty file":  # the form sees this before the photo checks do
        message = "The file you chose is empty"
    assert message in response.content.decode()
    assert "Your profile was not saved" in response.content.decode()
    assert Technician.objects.values().get(pk=technician.pk) == before
    assert stored_files() == before_files


def test_the_service_refuses_an_unusable_photo_before_changing_anything(personas):
    technician = personas.technician_profile
    before = Technician.objects.values().get(pk=technician.pk)
    with pytest.raises(photos.PhotoError, match="is not an image we can use"):
        services.update_profile(
            technician,
            {"bio": "changed"},
            photo=upload("cv.jpg", b"%PDF-1.7 not a photo"),
            by=personas.technician,
        )
    assert Technician.objects.values().get(pk=technician.pk) == before
    assert stored_files() == []


def test_nobody_else_can_change_a_technicians_photo(personas):
    with pytest.raises(PermissionDenied):
        services.update_profile(
            personas.technician_profile,
            {},
            photo=upload("me.jpg", noisy_jpeg()),
            by=personas.manager,
        )
    assert stored_files() == []


# --- serving photos -----------------------------------------------------------------------


@pytest.fixture
def photographed(personas):
    def make(visibility, **extra):
        technician = factories.TechnicianFactory(
            department=personas.technician_profile.department, visibility=visibility, **extra
        )
        return factories.attach_photo(technician)

    return make


def test_a_public_profiles_photo_is_public_and_cacheable(photographed, login):
    technician = photographed(Technician.Visibility.PUBLIC)
    response = login(None).get(f"/technicians/{technician.pk}/photo/thumb/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == technician.photo_thumbnail.read()


def test_the_full_size_photo_is_served_too(photographed, login):
    technician = photographed(Technician.Visibility.PUBLIC)
    response = login(None).get(f"/technicians/{technician.pk}/photo/full/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == technician.photo.read()


def test_an_internal_profiles_photo_needs_a_login_and_is_privately_cached(
    photographed, login, personas
):
    technician = photographed(Technician.Visibility.INTERNAL)
    url = f"/technicians/{technician.pk}/photo/full/"
    anonymous = login(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    response = login(personas.steering).get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_private_profiles_photo_is_hidden_from_colleagues(photographed, login, personas):
    technician = photographed(Technician.Visibility.PRIVATE, user=factories.UserFactory())
    url = f"/technicians/{technician.pk}/photo/thumb/"
    assert login(personas.technician).get(url).status_code == 404
    assert login(personas.hr).get(url).status_code == 200
    assert login(technician.user).get(url).status_code == 200


def test_a_leavers_photo_is_for_hr_only(photographed, login, personas):
    technician = photographed(Technician.Visibility.PUBLIC, is_active=False)
    url = f"/technicians/{technician.pk}/photo/thumb/"
    assert login(None).get(url).status_code == 302
    assert login(personas.technician).get(url).status_code == 404
    assert login(personas.hr).get(url).status_code == 200


def test_unknown_sizes_missing_photos_and_missing_files_are_not_found(
    photographed, login, personas
):
    technician = photographed(Technician.Visibility.PUBLIC)
    client = login(personas.technician)
    assert client.get(f"/technicians/{technician.pk}/photo/original/").status_code == 404
    no_photo = personas.manager_profile
    assert client.get(f"/technicians/{no_photo.pk}/photo/thumb/").status_code == 404
    Path(technician.photo.path).unlink()
    assert client.get(f"/technicians/{technician.pk}/photo/full/").status_code == 404
    assert client.get("/technicians/999999/photo/thumb/").status_code == 404


def test_media_files_are_not_served_from_media_root(photographed, login, personas):
    technician = photographed(Technician.Visibility.PRIVATE)
    response = login(personas.technician).get(f"/media/{technician.photo.name}")
    assert response.status_code == 404
