"""`{% fixed_url %}` is `{% url %}` for argument-free URLs, reversed once per process: it must
give what `reverse` gives, under any script prefix."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

NAMES = ["home", "technicians:list", "account_logout", "admin:index"]


def render(name: str) -> str:
    return Template("{% load portal_tags %}{% fixed_url name %}").render(Context({"name": name}))


@pytest.mark.parametrize("name", NAMES)
def test_it_is_what_reverse_gives(name):
    assert render(name) == reverse(name)


def test_a_portal_served_under_a_prefix_gets_prefixed_urls():
    assert render("home") == "/"
    set_script_prefix("/portal/")
    try:
        assert render("home") == "/portal/" == reverse("home")
        assert render("technicians:list") == reverse("technicians:list")
    finally:
        set_script_prefix("/")
    assert render("home") == "/"
