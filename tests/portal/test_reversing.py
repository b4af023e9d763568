"""`url_for` is `reverse` for the links a page writes once per row, worked out once per
process: whatever the URL, its arguments and the script prefix, it gives what `reverse` gives."""

import pytest
from django.urls import path, re_path, reverse, set_script_prefix

from portal.reversing import url_for

CASES = [
    ("home", ()),
    ("technicians:list", ()),
    ("technicians:detail", (42,)),
    ("technicians:photo", (7, "thumb")),
    ("actionplan:detail", (3,)),
    ("training:course", ("autoclave-operation",)),
    ("voice:question_edit", (5, 11)),
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_it_gives_what_reverse_gives(name, args):
    assert url_for(name, *args) == reverse(name, args=args)


@pytest.mark.parametrize(("name", "args"), CASES)
def test_under_a_script_prefix_too(name, args):
    set_script_prefix("/portal/")
    try:
        assert url_for(name, *args) == reverse(name, args=args)
        assert url_for(name, *args).startswith("/portal/")
    finally:
        set_script_prefix("/")
    assert url_for(name, *args) == reverse(name, args=args)


def test_arguments_reverse_would_quote_go_through_reverse():
    for size in ("a b", "ü", "x?y=1", "%2F"):
        assert url_for("technicians:photo", 1, size) == reverse("technicians:photo", args=[1, size])


def test_a_different_value_each_time_is_put_in_its_place():
    assert [url_for("technicians:detail", pk) for pk in (1, 22, 333)] == [
        "/technicians/1/",
        "/technicians/22/",
        "/technicians/333/",
    ]


urlpatterns = [
    path("year/<int:year>/", lambda request: None, name="year"),
    path("twice/<slug:a>/<slug:b>/", lambda request: None, name="two"),
    re_path(r"^four/(?P<year>[0-9]{4})/$", lambda request: None, name="four_digits"),
]


def test_patterns_of_another_urlconf_and_their_arguments(settings):
    settings.ROOT_URLCONF = __name__
    assert url_for("year", 2026) == "/year/2026/" == reverse("year", args=[2026])
    assert url_for("two", "b", "a") == "/twice/b/a/"
    # A pattern no stand-in fits is reversed each time.
    assert url_for("four_digits", 2026) == "/four/2026/" == reverse("four_digits", args=[2026])
