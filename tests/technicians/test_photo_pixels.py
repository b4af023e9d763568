"""A decompression-bomb photo: a small file that decodes to a huge image is refused from its
header, before a single pixel is decoded, at PORTAL_PHOTO_MAX_PIXELS (25 megapixels)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from technicians import photos


def single_colour_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = single_colour_png(6324, 6324)  # the reported file: 40 megapixels
    assert len(data) < 200 * 1024
    return data


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_40_megapixel_png_of_a_hundred_kilobytes_is_refused_before_decoding(bomb, no_decoding):
    with pytest.raises(photos.PhotoError) as refused:
        photos.process_photo(SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))
    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        "“bomb.png” is 6324×6324 pixels, too large to use. Upload a photo of at most 25 megapixels."
    ]


def test_the_cap_is_a_setting(settings, no_decoding):
    settings.PORTAL_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(photos.PhotoError) as refused:
        photos.process_photo(SimpleUploadedFile("p.png", single_colour_png(1001, 1000)))
    assert "at most 1 megapixels" in refused.value.messages[0]


def test_pillows_own_guard_follows_the_cap():
    assert Image.MAX_IMAGE_PIXELS == photos.MAX_PIXELS == 25_000_000


def test_a_photo_at_the_cap_is_accepted(settings):
    settings.PORTAL_PHOTO_MAX_PIXELS = 1_000_000
    processed = photos.process_photo(SimpleUploadedFile("ok.png", single_colour_png(1000, 1000)))
    assert processed.extension in {".jpg", ".png"}


def test_the_cap_comes_from_the_environment(monkeypatch):
    import importlib.util

    from tests.portal.test_settings import SETTINGS_FILE

    monkeypatch.setenv("PORTAL_PHOTO_MAX_PIXELS", "12000000")
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PORTAL_PHOTO_MAX_PIXELS == 12_000_000
    monkeypatch.delenv("PORTAL_PHOTO_MAX_PIXELS")
    spec.loader.exec_module(module)
    assert module.PORTAL_PHOTO_MAX_PIXELS == 25_000_000


def test_a_truncated_photo_is_refused_even_after_a_pdf_was_rendered(monkeypatch):
    """WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process at import."""
    import weasyprint  # noqa: F401

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG", quality=95)
    with pytest.raises(photos.PhotoError) as refused:
        photos.process_photo(SimpleUploadedFile("cut.jpg", buffer.getvalue()[:3000]))
    assert refused.value.code == "not_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was for the PDF renderer
