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
    - Never sniffed as another type than `content_type`, and sandboxed
      (`Content-Security-Policy: sandbox`): a file that a browser renders after all runs no
      script and reaches no cookie of the portal's.
    - Caching: `public` files (e.g. a public profile's photo) for `max_age` seconds anywhere;
      every other file never stored at all (`private, no-store`): not by a shared proxy, and
      not on the disk of a shared computer after logging out.
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
    response["Content-Security-Policy"] = "sandbox"  # the site's policy is for its pages
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie"])
    return response
