"""The static files' storage: whitenoise's compressed manifest, each URL worked out once.

`{% static %}` asks the storage for a file's URL on every page (the stylesheet, the scripts,
the icon): looking the name up in the manifest and joining it to STATIC_URL each time cost
more than the rest of the page's head. The manifest is read when the process starts and does
not change while it runs, so a URL, once worked out, is kept for the life of the process.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force: bool = False) -> str:
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
