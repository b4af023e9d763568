"""The page header (`{% site_header %}`, written in Python) is the markup the base template
wrote with a dozen `{% if %}`s, for every role, on every section of the portal, signed in or
not, and on a page no URL matches."""

import re
from pathlib import Path

import pytest
from django.template import RequestContext, Template
from django.test.html import parse_html

from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

# The header as base.html wrote it before the tag.
TEMPLATE_HEADER = Template((Path(__file__).parent / "site_header_before.html").read_text())

PATHS = (
    "/",
    "/technicians/",
    "/technicians/me/",
    "/technicians/skills/",
    "/technicians/import/",
    "/action-plans/",
    "/training/",
    "/registration/",
    "/careers/",
    "/reports/",
    "/meet-our-technicians/",
    "/privacy/",
    "/accounts/login/",
    "/no-such-page/",
)
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def header_of(html: str) -> str:
    start = html.index('<header class="site-header">')
    return html[start : html.index("</header>", start) + len("</header>")]


def without_token(html: str) -> str:
    # A token is masked afresh each time it is written.
    return CSRF_VALUE.sub('name="csrfmiddlewaretoken" value="-"', html)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_header_is_the_templates_markup_everywhere(personas, login, persona):
    client = login(getattr(personas, persona))
    for path in PATHS:
        response = client.get(path)
        if response.status_code in (301, 302):
            continue  # a page this persona is sent away from has no header of its own
        written = header_of(response.content.decode())
        expected = TEMPLATE_HEADER.render(RequestContext(response.wsgi_request))
        assert parse_html(without_token(written)) == parse_html(without_token(expected)), path


def test_the_current_section_is_marked(personas, login):
    for persona, path, label in (
        ("hr", "/", "Dashboard"),
        ("hr", "/technicians/", "Directory"),
        ("hr", "/technicians/skills/", "Skills"),
        ("hr", "/technicians/import/", "Staff list"),
        ("hr", "/reports/", "Reports"),
        ("technician", "/technicians/me/", "My profile"),
        ("technician", "/training/", "Training"),
        ("anonymous", "/meet-our-technicians/", "Meet our technicians"),
    ):
        client = login(getattr(personas, persona))
        header = header_of(client.get(path).content.decode())
        assert re.findall(r'aria-current="page">([^<]+)<', header) == [label], path
