"""Every template's `{% url %}` reverses each URL name once per process (portal.templatetags.
url_tag): whatever the name, its arguments, `as` and the namespaces, it writes what Django's
own tag writes."""

import pytest
from django.template import Context, Engine, RequestContext, engines
from django.template.defaulttags import URLNode
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path, reverse

from portal.templatetags.url_tag import ReversedOnceURLNode
from tests.portal.test_reversing import CASES


def written(source: str, context=None) -> str:
    return engines["django"].from_string(source).render(context or {})


def written_by_django(source: str, context: dict | None = None, request=None) -> str:
    """What Django's own `{% url %}` writes (an engine without the portal's builtins)."""
    engine = Engine(builtins=[])
    template = engine.from_string(source)
    return template.render(RequestContext(request, context) if request else Context(context))


def test_every_template_has_the_portals_url_tag():
    template = engines["django"].from_string("{% url 'home' %}").template
    assert type(template.nodelist[0]) is ReversedOnceURLNode
    assert isinstance(template.nodelist[0], URLNode)


@pytest.mark.parametrize(("name", "args"), CASES)
def test_it_writes_what_djangos_tag_writes(name, args):
    source = "{% url name " + " ".join(f"a{i}" for i in range(len(args))) + " %}"
    context = {"name": name, **{f"a{i}": arg for i, arg in enumerate(args)}}
    assert written(source, context) == written_by_django(source, context)
    assert written(source, context) == reverse(name, args=args)


def test_keyword_arguments_and_arguments_to_quote_go_through_reverse():
    assert written("{% url 'technicians:detail' pk=5 %}") == "/technicians/5/"
    size = "a b&c"
    source = "{% url 'technicians:photo' 1 size %}"
    assert written(source, {"size": size}) == written_by_django(source, {"size": size})
    assert "&amp;" in written(source, {"size": size})  # escaped as Django escapes it


def test_as_and_a_name_that_does_not_reverse_behave_as_djangos():
    assert written("{% url 'nowhere' as link %}[{{ link }}]") == "[]"
    assert written("{% url 'home' as link %}[{{ link }}]") == "[/]"
    with pytest.raises(NoReverseMatch):
        written("{% url 'nowhere' %}")


def page(request):
    return None


pages = ([path("page/", page, name="page")], "pages")
urlpatterns = [
    path("first/", include(pages, namespace="first")),
    path("second/", include(pages, namespace="second")),
]


def test_a_namespace_included_twice_follows_the_current_app_as_django_does(settings):
    settings.ROOT_URLCONF = __name__
    request = RequestFactory().get("/")
    request.current_app = "first"  # Django picks the last instance without one
    source = "{% url 'pages:page' %}"
    assert written_by_django(source, request=request) == "/first/page/"
    assert engines["django"].from_string(source).render({}, request) == "/first/page/"
