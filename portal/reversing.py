"""`reverse()` for the URLs a page writes many times, worked out once per process.

A list writes a link per row (a person's profile, their photo, an action): Django's `reverse`
walks the URL patterns every time, most of a card's cost. `url_for(name, *args)` reverses each
name once, with stand-in arguments, per URLconf and script prefix, and then only puts the
arguments in. Arguments that reverse would have to quote (anything but letters, digits, "-" and
"_") go through `reverse` itself, so the answer is always `reverse`'s. It is meant for Django's
int, slug and str converters, the portal's only ones: a converter that rewrote its value
(zero-padding, say) would need `reverse`.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Digits pass every converter the portal uses (int, slug, str); this many never occur in a URL.
_STAND_IN = "7305918264{}"
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")


def url_for(name: str, *args: object) -> str:
    """What `reverse(name, args=args)` gives."""
    texts = [str(arg) for arg in args]
    if not all(_PLAIN.fullmatch(text) for text in texts):
        return reverse(name, args=args)
    parts = _pattern(name, len(texts), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if parts is None:  # the pattern writes an argument twice, or changes it: no shortcut
        return reverse(name, args=args)
    pieces = [parts[0]]
    for text, after in zip(texts, parts[1:], strict=True):
        pieces += [text, after]
    return "".join(pieces)


@cache
def _pattern(name: str, count: int, urlconf: str, prefix: str) -> tuple[str, ...] | None:
    """The reversed URL cut around each argument's place (urlconf and prefix: the key)."""
    stand_ins = [_STAND_IN.format(index) for index in range(count)]
    try:
        reversed_url = reverse(name, args=stand_ins, urlconf=urlconf)
    except NoReverseMatch:  # a pattern that takes no such stand-in (a regex of four digits)
        return None
    parts = []
    rest = reversed_url
    for stand_in in stand_ins:
        if rest.count(stand_in) != 1:
            return None
        before, rest = rest.split(stand_in)
        parts.append(before)
    parts.append(rest)
    return tuple(parts)
