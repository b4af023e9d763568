"""The `{% url %}` every template uses, Django's own but for how it reverses: with positional
arguments or none, it asks `portal.reversing.url_for`, which works out each URL name once per
process, rather than Django's `reverse`, which walks the URL patterns on every call (about 50
microseconds a tag against 8: a dashboard names some twenty-five URLs, a list one a row).

Loaded for every template by `TEMPLATES["OPTIONS"]["builtins"]` (config/settings.py), after
Django's own, so it takes the name `url`. The answer is always `reverse`'s: keyword arguments go
to `reverse` itself, as do arguments it would have to quote (`url_for`), and a URL namespace with
more than one instance, whose answer would depend on the current app. A name that does not
reverse fails as Django's tag fails (or gives "" with `as`).
"""

from __future__ import annotations

from functools import cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_resolver, get_urlconf
from django.utils.html import conditional_escape

from portal.reversing import url_for

register = template.Library()


class ReversedOnceURLNode(URLNode):
    def render(self, context):
        if self.kwargs or not _one_instance_a_namespace(get_urlconf() or settings.ROOT_URLCONF):
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = url_for(view_name, *args)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@cache
def _one_instance_a_namespace(urlconf: str) -> bool:
    """Whether every application namespace of `urlconf` is included once, so that the current
    app (which `{% url %}` passes to `reverse`) never changes a URL."""
    return all(len(instances) == 1 for instances in get_resolver(urlconf).app_dict.values())


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return ReversedOnceURLNode(node.view_name, node.args, node.kwargs, node.asvar)
