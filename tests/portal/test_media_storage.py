"""The settings of scaling out: MEDIA_STORAGE (uploads on this machine's disk, or in an
S3-compatible bucket shared by every web and worker replica, through django-storages) and
DATABASE_PGBOUNCER, with the prepared statements it rules out."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.test import override_settings

from tests.portal.test_settings import load_settings  # noqa: F401  (the fixture)

S3 = {
    "MEDIA_STORAGE": "s3",
    "MEDIA_S3_BUCKET": "portal-media",
    "MEDIA_S3_ENDPOINT_URL": "https://objects.example.ac.uk",
    "MEDIA_S3_REGION": "eu-west-2",
    "MEDIA_S3_ACCESS_KEY_ID": "portal",
    "MEDIA_S3_SECRET_ACCESS_KEY": "not-a-real-secret",
}


def test_uploads_are_on_the_filesystem_by_default(load_settings):  # noqa: F811
    settings = load_settings()
    assert settings.MEDIA_STORAGE == "filesystem"
    assert settings.STORAGES["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_media_storage_s3_selects_the_s3_backend_with_the_bucket(load_settings):  # noqa: F811
    settings = load_settings(**S3)
    default = settings.STORAGES["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "portal-media"
    assert options["endpoint_url"] == "https://objects.example.ac.uk"
    assert options["region_name"] == "eu-west-2"
    # Private files: no public ACL, signed URLs only, never one upload over another.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    # The static files stay with WhiteNoise either way.
    assert "staticfiles" in settings.STORAGES


def test_the_s3_backend_is_what_files_are_stored_with(load_settings):  # noqa: F811
    from storages.backends.s3 import S3Storage

    configured = load_settings(**S3).STORAGES
    with override_settings(STORAGES=configured):  # Django re-reads its storages on change
        storage = storages["default"]
        assert isinstance(storage, S3Storage)
        assert storage.bucket_name == "portal-media"
        assert storage.location == "media"
    assert not isinstance(storages["default"], S3Storage)


@pytest.mark.parametrize(
    "env, message",
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_S3_BUCKET"),
        ({"MEDIA_STORAGE": "ftp"}, "filesystem or s3"),
    ],
)
def test_a_bad_media_storage_is_refused_at_start(load_settings, env, message):  # noqa: F811
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(**env)


def test_behind_pgbouncer_server_side_cursors_are_off(load_settings):  # noqa: F811
    assert load_settings().DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    settings = load_settings(DATABASE_PGBOUNCER="1")
    assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True


POSTGRES = "postgres://portal@db.example.ac.uk:5432/portal"


def test_on_postgresql_a_repeated_query_becomes_a_prepared_statement(load_settings):  # noqa: F811
    options = load_settings(DATABASE_URL=POSTGRES).DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2


def test_behind_pgbouncer_no_prepared_statements(load_settings):  # noqa: F811
    # Transaction pooling hands each transaction any server connection: a statement prepared
    # on one is unknown on the next.
    options = load_settings(DATABASE_URL=POSTGRES, DATABASE_PGBOUNCER="1").DATABASES["default"][
        "OPTIONS"
    ]
    assert options["server_side_binding"] is True
    assert "prepare_threshold" not in options


def test_sqlite_has_no_postgresql_options(load_settings):  # noqa: F811
    assert "OPTIONS" not in load_settings().DATABASES["default"] or (
        "prepare_threshold" not in load_settings().DATABASES["default"]["OPTIONS"]
    )
