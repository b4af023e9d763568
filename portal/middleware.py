"""Two things every request needs.

`DataVersionsMiddleware`: the data versions behind shared figures (portal.versions) are read
once a request, however many figures a page shows.

Responses to signed-in people are never kept by a shared cache (a proxy, a CDN).

A page built for a signed-in person holds their data: `PrivatePagesMiddleware` marks every
response to an authenticated request `Cache-Control: private, no-cache` unless the view set
its own Cache-Control (downloads send the stricter `private, no-store`; a public profile's
photo, the same for everyone, may be cached publicly). With `Vary: Cookie`, a cache never
serves one person's copy to another.

It also reads the signed-in user first, as its answer needs anyway, and hands the view the
user itself rather than Django's lazy stand-in: a dashboard asks `request.user` something a
thousand times, and each answer through the stand-in costs about ten times a plain attribute.
"""

from __future__ import annotations

from django.contrib.auth import get_user
from django.utils.cache import patch_cache_control, patch_vary_headers

from portal import versions


class DataVersionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions.per_request():
            return self.get_response(request)


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "user"):
            request.user = request._cached_user = get_user(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response
