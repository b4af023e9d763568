from types import SimpleNamespace

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from portal import periods, registry
from portal.forms import field_html
from portal.markup import clipped, escaped
from portal.periods import format_money
from portal.reversing import url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, check_name: str, *args) -> bool:
    """`{% can "edit_action_plan" plan as allowed %}`: asks the check an app registered under
    that name (portal.registry)."""
    return registry.check(check_name, context["request"].user, *args)


@register.filter(is_safe=True)
def clip(value, length: int) -> str:
    """`{{ note|clip:80 }}`: what `truncatechars:80` writes (`portal.markup.clipped`), at a
    fraction of its cost when the text fits."""
    return clipped(value, int(length))


@register.filter
def money(value) -> str:
    """An amount in pounds as the portal writes money everywhere: £6,000.00 ("" for None)."""
    return format_money(value)


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    """`{{ day|short_date }}`: what `{{ day|date:"j M Y" }}` writes ("6 Dec 2026"), at a
    tenth of its cost (portal.periods); "" for no date."""
    return periods.short_date(value) if value else ""


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    """`{{ day|long_date }}`: what `{{ day|date:"j F Y" }}` writes ("6 December 2026")."""
    return periods.long_date(value) if value else ""


@register.simple_tag(takes_context=True)
def panel(context, shown) -> str:
    """`{% panel shown %}`: one dashboard panel (`portal.dashboard.ShownPanel`), rendered
    inside the page's own context, so the context processors (the navigation and its
    permission checks) run once a page, not once a panel; a shared panel as it was written."""
    if shown.html is not None:
        return shown.html
    with context.push(**shown.context):
        return context.template.engine.get_template(shown.template).render(context)


@register.simple_tag
def form_field(field) -> str:
    """`{% form_field form.name %}`: a field with its label, errors and help text
    (portal.forms.field_html)."""
    return field_html(field)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% fixed_url 'home' %}`: `{% url %}` for a URL that takes no arguments, reversed once
    per process (and per URLconf and script prefix): the navigation on every page names
    sixteen of them."""
    return url_for(name)


# The main navigation: (label, URL name, the roles' key in `nav` that shows it, whether it is
# the current page). Every page writes it, so it is written here rather than by the template's
# dozen `{% if %}`s (a tenth of a light page's time).
def _in_directory(match, path: str) -> bool:
    return (
        match.app_name == "technicians"
        and (match.url_name or "")[:6] != "import"
        and match.url_name != "me"
        and "/technicians/skills/" not in path
    )


def _in_app(app_name: str):
    return lambda match, path: match.app_name == app_name


def _in_staff_list(match, path: str) -> bool:
    return match.app_name == "technicians" and (match.url_name or "")[:6] == "import"


_NAV_LINKS = (
    ("Dashboard", "home", "staff", lambda match, path: match.url_name == "home"),
    ("Directory", "technicians:list", "staff", _in_directory),
    ("Skills", "technicians:skills", "staff", lambda match, path: "/technicians/skills/" in path),
    ("Action plans", "actionplan:list", "staff", _in_app("actionplan")),
    ("Training", "training:catalogue", "staff", _in_app("training")),
    ("Registration", "registration:index", "staff", _in_app("registration")),
    ("Careers", "careers:index", "staff", _in_app("careers")),
    ("Staff list", "technicians:import", "hr", _in_staff_list),
    ("Reports", "reports:list", "hr", _in_app("reports")),
    ("Admin", "admin:index", "admin", lambda match, path: False),
)
_NO_MATCH = SimpleNamespace(app_name="", url_name="", view_name="")
_NEWLINE = "\n"


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """`{% site_header %}`: the page's header (base.html): the institution, the main
    navigation for the viewer's roles with the current section marked, and who is signed in.
    Every value is escaped."""
    request = context.get("request")
    nav = context.get("nav") or {}
    user = context.get("user")
    match = getattr(request, "resolver_match", None) or _NO_MATCH
    path = getattr(request, "path", "")
    links = []
    if nav.get("staff"):
        for label, name, role, is_current in _NAV_LINKS:
            if role == "staff" or nav.get(role):
                links.append(_nav_link(label, name, current=is_current(match, path)))
    links.append(_nav_link("Meet our technicians", "public:index", match.app_name == "public"))
    return mark_safe(  # noqa: S308 (every value escaped)
        '<header class="site-header">\n<div class="container header-row">\n'
        f'<a class="brand" href="{escaped(url_for("home"))}">\n'
        f'<span class="brand-institution">{escaped(context.get("institution_name", ""))}</span>\n'
        '<span class="brand-title">Technician Commitment</span>\n</a>\n'
        f'<nav aria-label="Main">\n<ul class="nav-list">\n{_NEWLINE.join(links)}\n</ul>\n</nav>\n'
        f'<div class="account">\n{_account(context, user, nav, match)}\n</div>\n'
        "</div>\n</header>"
    )


def _nav_link(label: str, name: str, current: bool) -> str:
    marked = ' aria-current="page"' if current else ""
    return f'<li><a href="{escaped(url_for(name))}"{marked}>{label}</a></li>'


def _account(context, user, nav: dict, match) -> str:
    if not getattr(user, "is_authenticated", False):
        return f'<a href="{escaped(url_for("account_login"))}">Log in</a>'
    technician = nav.get("technician")
    name = technician.full_name if technician else (user.get_full_name() or user.email)
    profile = ""
    if technician:
        marked = ' aria-current="page"' if match.view_name == "technicians:me" else ""
        profile = f'\n<a href="{escaped(url_for("technicians:me"))}"{marked}>My profile</a>'
    return (
        f'<span class="signed-in">Signed in as <strong>{escaped(name)}</strong></span>{profile}\n'
        f'<form method="post" action="{escaped(url_for("account_logout"))}" class="inline-form">\n'
        f"{CsrfTokenNode().render(context)}\n"
        '<button type="submit" class="link-button">Log out '
        f'<span class="visually-hidden">{escaped(user.email)}</span></button>\n</form>'
    )
