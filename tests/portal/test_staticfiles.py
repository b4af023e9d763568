"""Production's static files: whitenoise's compressed manifest, each URL worked out once."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.staticfiles import ManifestStaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"portal.css": "portal.0123456789ab.css"}})
    )
    return ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")


def test_it_is_whitenoises_compressed_manifest_storage():
    assert issubclass(ManifestStaticFilesStorage, CompressedManifestStaticFilesStorage)


def test_a_file_is_served_under_its_hashed_name(storage):
    assert storage.url("portal.css") == "/static/portal.0123456789ab.css"


def test_a_url_is_worked_out_once_then_kept(storage, monkeypatch):
    first = storage.url("portal.css")
    looked_up = []
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name) or name)
    assert storage.url("portal.css") == first
    assert looked_up == []
    assert storage.url("portal.css", force=True) == "/static/portal.css"  # force: asked again
    assert looked_up == ["portal.css"]


def test_a_file_missing_from_the_manifest_is_still_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("missing.css")
