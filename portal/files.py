"""Serving a stored file from a view that has already checked the user may have it.

Files under MEDIA_ROOT are never served straight from there: each app's view checks permission,
then answers with `serve_private_file`, so every such answer has the same headers.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control, patch_vary_headers


def serve_private_file(
    file: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    inline: bool = False,
    max_age: int = 0,
    public: bool = False,
) -> FileResponse:
    """The stored `file` (404 when there is none, or it is missing from storage).

    - A download (`Content-Disposition: attachment`, named `filename` or the stored name)
      unless `inline`: only for files whose content was checked to be an image.
    - Never sniffed as another type than `content_type`.
    - Caching: `public` files (e.g. a public profile's photo) for `max_age` seconds anywhere;
      others, with a `max_age`, only in the user's own browser and per login (Vary: Cookie);
      without one, never stored at all.
    """
    if not file:
        raise Http404("No such file.")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename="" if inline else (filename or file.name.rsplit("/", 1)[-1]),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    elif max_age:
        patch_cache_control(response, private=True, max_age=max_age)
        patch_vary_headers(response, ["Cookie"])
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
