"""Markup written in Python, where a profile showed a template's loop cost too much
(docs/development.md, "Pages written lightly").

`escaped(value)` is what a template writes for `{{ value }}`: Django's `conditional_escape`
(a value that knows its own HTML, such as a `SafeString`, as it is; anything else through
`html.escape`), without the wrapper Django puts around it for lazy strings, which is most of
its cost when a page calls it thousands of times.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Any

from django.template.defaultfilters import truncatechars


def escaped(value: Any) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def clipped(text: str, length: int) -> str:
    """What `{{ text|truncatechars:length }}` writes. A text that fits (most notes and titles)
    is only NFC-normalised, as the filter does, without the filter's walk through every
    character and its translation lookup."""
    normalised = unicodedata.normalize("NFC", str(text))
    if len(normalised) <= length:
        return normalised
    return truncatechars(normalised, length)
