"""Where uploaded import files wait between the preview and the apply: a private folder that
no URL serves (PRIVATE_MEDIA_ROOT, by default MEDIA_ROOT/private)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "private"


@deconstructible(path="portal.imports.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files kept out of reach of any URL; read back only by the code that stored them."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    # Read the settings on each use, so a changed MEDIA_ROOT (tests) is followed.
    @property
    def base_location(self) -> str:
        return str(private_media_root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL.")


private_storage = PrivateStorage()
