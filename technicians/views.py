"""The directory: search and filters, profiles, my profile, photos, departments, and the
public Meet our technicians page. Thin: rules from technicians.permissions, queries from
technicians.selectors, changes through technicians.services."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from portal import audit, params, registry, versions
from portal.decorators import permission_required
from portal.files import serve_private_file
from technicians import permissions, photos, selectors, services
from technicians.filters import PublicTechnicianFilter, TechnicianFilter
from technicians.forms import ProfileForm
from technicians.models import Technician
from technicians.templatetags.technician_tags import search_field
from technicians.versions import PEOPLE

PER_PAGE = 24
MAX_PAGE = 100_000
PHOTO_SIZES = {"full": "photo", "thumb": "photo_thumbnail"}
PHOTO_MAX_AGE = 3600


def _page(request, queryset, *, count: int | None = None):
    """The page of 24 asked for; `count`, when the caller knows how many there are, saves
    counting them again."""
    number = _page_number(request)
    paginator = Paginator(queryset, PER_PAGE)
    if count is not None:
        paginator.count = count  # Django's cached property, given instead of computed
    return paginator.get_page(number)


def _page_with_its_count(request, queryset):
    """The page of 24 asked for of a searched or filtered list, and how many there are, in one
    query (`selectors.page_and_count`). A page beyond the last finds no rows: then the list is
    counted, and the last page shown, as `Paginator.get_page` does."""
    number = _page_number(request)
    rows, count = selectors.page_and_count(queryset, start=(number - 1) * PER_PAGE, size=PER_PAGE)
    if not rows and number > 1:
        return _page(request, queryset)
    return _page_of(rows, number, count=count, queryset=queryset)


def _page_number(request) -> int:
    return params.integer(request, "page", minimum=1, maximum=MAX_PAGE, default=1, fallback=True)


def _page_of(rows: list, number: int, *, count: int, queryset) -> Page:
    paginator = Paginator(queryset, PER_PAGE)
    paginator.count = count  # Django's cached property, given
    return Page(rows, number, paginator)


def _first_page_of_search(request, text: str | None, queryset, audience: str) -> Page | None:
    """A search and nothing else (`text`, else None), first page: `selectors.
    first_page_of_search`'s, from SQL compiled once (the searches people make most). None
    for anything else."""
    if text is None or _page_number(request) != 1:
        return None
    found = selectors.first_page_of_search(
        audience=audience, user_id=request.user.pk, text=text, size=PER_PAGE
    )
    if found is None:
        return None
    rows, count = found
    return _page_of(rows, 1, count=count, queryset=queryset)


def _unfiltered(request) -> bool:
    """Nothing asked but (perhaps) a page: the whole list, whose size is known."""
    return set(request.GET) <= {"page"}


def _wants_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _render_list(request, full_template: str, partial_template: str, context: dict):
    """The whole page, or only the results when htmx asks for them."""
    template = partial_template if _wants_partial(request) else full_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@permission_required(permissions.can_view_directory)
def directory(request):
    """Search and filter the technicians the user may see, 24 a page."""
    queryset = selectors.visible_technicians(request.user)
    unfiltered = _unfiltered(request)
    context = _list_context(
        request,
        queryset,
        TechnicianFilter,
        unfiltered=unfiltered,
        count=selectors.listed_count(request.user) if unfiltered else None,
        audience=permissions.list_audience(request.user),
        # Staff see one form, HR another (with leavers): each kept for all who see it.
        form_variant="hr" if permissions.can_manage_staff_list(request.user) else "staff",
        form_depends_on=(PEOPLE, *registry.directory_filter_versions()),
    )
    if unfiltered and not selectors.sees_own_private_profile(request.user):
        audience = permissions.list_audience(request.user)
        context["shared_results"] = _shared_results(request, audience, context)
    return _render_list(request, "technicians/directory.html", "technicians/_results.html", context)


def _list_context(
    request,
    queryset,
    filter_class,
    *,
    unfiltered: bool,
    count,
    audience: str,
    form_variant: str,
    form_depends_on: tuple,
) -> dict:
    """The directory's or Meet our technicians' list, searched and filtered by `filter_class`
    (`unfiltered`: nothing asked but a page, `_unfiltered`; `count`: the unfiltered list's,
    when known; `audience`: whose list `queryset` is, `permissions.list_audience`).
    Unfiltered, the whole page shows the search form kept for everyone of `form_variant`
    (`_kept_search_form`) and builds no filter set."""
    if unfiltered and not _wants_partial(request):
        return {
            "form_fields": _kept_search_form(
                request, filter_class, variant=form_variant, depends_on=form_depends_on
            ),
            "page_obj": _page(request, queryset, count=count),
        }
    searched = _plain_search_page(request, filter_class, queryset, audience)
    if searched is not None:
        return {
            "form_fields": _kept_search_form(
                request,
                filter_class,
                variant=form_variant,
                depends_on=form_depends_on,
                text=request.GET["q"],
            ),
            "page_obj": searched,
            "searched": True,
        }
    filterset = filter_class(request.GET or None, queryset=queryset, request=request)
    page_obj = _first_page_of_search(request, filterset.plain_search(), queryset, audience)
    if page_obj is None:
        results = filterset.qs if filterset.is_bound else queryset
        page_obj = (
            _page(request, results, count=count)
            if count is not None
            else _page_with_its_count(request, results)
        )
    return {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        # Asked by the template only when nobody is found (a template calls a method).
        "searched": filterset.form.has_changed if filterset.is_bound else False,
    }


def _plain_search_page(request, filter_class, queryset, audience: str) -> Page | None:
    """The whole page of a search and nothing else, first page (a link, a bookmark, the form
    sent with Enter), with no filter set: the kept form stands for its form
    (`_kept_search_form`). None for anything else, htmx's partial pages included."""
    if _wants_partial(request) or request.GET.get("sort"):  # an order asked: its own box
        return None
    text = filter_class.plain_search_of(request.GET)
    return _first_page_of_search(request, text, queryset, audience)


# Stands for the searched text in the kept form of a search (`_kept_search_form`): no
# character of it is one a form escapes, and nobody types it.
_SEARCHED_TEXT = "\x1esearched\x1f"


def _kept_search_form(
    request, filter_class, *, variant: str, depends_on: tuple, text: str | None = None
) -> str:
    """The fields of the list's search form, as `{% search_field %}` writes them: with no
    search, or (`text`) a search and nothing else. The same for everyone who sees that
    `variant` of the form but for the text, so written once and kept under the versions of
    the data its choices come from (`depends_on`), and the text (escaped as the form would)
    written into its box for each request."""
    list_name = request.resolver_match.view_name
    searching = text is not None
    kept = versions.cached(
        f"technicians.search-form:{list_name}:{variant}{':searching' if searching else ''}",
        depends_on=depends_on,
        compute=lambda: "".join(
            search_field(field)
            for field in filter_class(
                {"q": _SEARCHED_TEXT} if searching else None,
                queryset=Technician.objects.none(),
                request=request,
            ).form.visible_fields()
        ),
    )
    if searching:
        kept = kept.replace(_SEARCHED_TEXT, escape(text))
    return mark_safe(kept)  # noqa: S308 (search_field escapes every value, and the text is)


def _shared_results(request, audience: str, context: dict) -> str:
    """A page of the unfiltered list (its cards and page links), the same for everyone of one
    audience (`permissions.list_audience`): written once and kept under the versions of all a
    card shows (`selectors.card_versions`), so a change to any of it is seen at once."""
    page_obj = context["page_obj"]
    list_name = request.resolver_match.view_name  # the directory's, or Meet our technicians'
    return versions.cached(
        f"technicians.results:{list_name}:{audience}:{page_obj.number}",
        depends_on=selectors.card_versions(),
        compute=lambda: render_to_string("technicians/_result_list.html", context, request=request),
    )


def _hidden(request):
    """A profile the user may not see: log in first, or 'not found' once logged in, on the
    portal's own 404 page (rendered here, so it is the same with DEBUG on); whether the
    profile exists is not told."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "404.html", {"reason": PROFILE_NOT_FOUND}, status=404)


PROFILE_NOT_FOUND = (
    "There is no profile here that you can see: it may not exist, or it is not shared with you."
)


@require_GET
def detail(request, pk: int):
    """One profile. Public ones are open to anyone (without the e-mail address)."""
    technician = selectors.technician_profile(pk)
    if technician is None or not permissions.can_view_technician(request.user, technician):
        return _hidden(request)
    user = request.user
    if not permissions.is_public_profile(technician) and (
        technician.visibility == technician.Visibility.PRIVATE or not technician.is_active
    ):
        # Who looked at another person's private profile (HR reads it on the access log).
        audit.record_unless_own(
            audit.Kind.PROFILE_VIEWED, by=user, subject=technician, own_user_id=technician.user_id
        )
    manager = technician.line_manager
    context = {
        "technician": technician,
        "profile_blocks": _profile_blocks(request, technician),
        # E-mail, grade, line manager, department page: for staff, never on a public view.
        "show_staff_details": permissions.is_staff_member(user),
        "manager_visible": bool(manager and permissions.can_view_technician(user, manager)),
        "is_own": permissions.is_own_profile(user, technician),
        # Staff number, start date and status: HR's, from the staff list.
        "show_hr_details": permissions.can_manage_staff_list(user),
    }
    return render(request, "technicians/detail.html", context)


def _profile_blocks(request, technician) -> list[str]:
    """Other apps' sections of the profile (their skills: portal.registry.profile_blocks),
    rendered in order; a block with nothing to show is left out."""
    blocks = []
    for block in registry.profile_blocks():
        context = block.context(request, technician)
        if context is not None:
            context = {"technician": technician, **context}
            blocks.append(render_to_string(block.template, context, request=request))
    return blocks


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_open_my_profile)
def my_profile(request):
    """Edit your own profile. HR-owned fields are shown, not editable."""
    mine = permissions.technician_of(request.user)
    if mine is None or not mine.is_active:
        return render(request, "technicians/no_profile.html", {"leaver": mine is not None})
    technician = selectors.profile_to_edit(mine)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=technician)
        # Other apps' parts of the form (their skills), saved with the profile.
        parts = [part.build(technician, request.POST) for part in registry.profile_form_parts()]
        parts_valid = [part.is_valid() for part in parts]  # every part checked, for its errors
        if form.is_valid() and all(parts_valid):
            # A fresh copy: the form has already written its values onto `technician`.
            fresh = selectors.profile_to_edit(technician)
            try:
                services.update_profile(
                    fresh,
                    form.profile_data(),
                    photo=form.cleaned_data["new_photo"],
                    remove_photo=form.cleaned_data["remove_photo"],
                    also=[partial(part.save, by=request.user) for part in parts],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("technicians:me")
    else:
        form = ProfileForm(instance=technician)
        parts = [part.build(technician, None) for part in registry.profile_form_parts()]
    return render(
        request,
        "technicians/me.html",
        {
            "technician": technician,
            "form": form,
            "parts": parts,
            "parts_have_errors": any(part.error_count for part in parts),
        },
    )


@require_GET
def photo(request, pk: int, size: str):
    """A profile photo, only to those who may see the profile."""
    field_name = PHOTO_SIZES.get(size)
    if field_name is None:
        raise Http404("No such photo size.")
    technician = selectors.technician_for_photo(pk, field_name)
    if technician is None or not permissions.can_view_technician(request.user, technician):
        return _hidden(request)
    file = getattr(technician, field_name)
    # Photos are re-encoded images (never SVG) on upload, so they may be shown inline.
    return serve_private_file(
        file,
        content_type=photos.content_type_for(file.name),
        inline=True,
        max_age=PHOTO_MAX_AGE,
        public=permissions.is_public_profile(technician),
    )


@require_GET
def department(request, slug: str):
    """A department's technicians (those the user may see: public profiles for visitors) and
    its helpdesk address, open to anyone so students find the technical helpdesk."""
    dept = selectors.department_by_slug(slug)
    technicians = selectors.department_technicians(dept, request.user)
    return render(
        request,
        "technicians/department.html",
        {"department": dept, "page_obj": _page(request, technicians)},
    )


def department_list() -> str:
    """Meet our technicians' list of departments and their helpdesks, as HTML: the same for
    every visitor, so written once and kept under the "people" version (portal.versions),
    which a department's save moves on."""
    return versions.cached(
        "technicians.department-list-html",
        depends_on=(PEOPLE,),
        compute=lambda: render_to_string(
            "technicians/_department_list.html",
            {"departments": selectors.departments_with_helpdesks()},
        ),
    )


@require_GET
def public_directory(request):
    """Meet our technicians: public profiles only, no e-mail addresses, open to anyone."""
    queryset = selectors.public_technicians()
    unfiltered = _unfiltered(request)
    # Anyone's count of the public list (public_technicians is the public audience's list).
    context = _list_context(
        request,
        queryset,
        PublicTechnicianFilter,
        unfiltered=unfiltered,
        count=selectors.listed_count(AnonymousUser()) if unfiltered else None,
        audience="public",
        form_variant="public",
        form_depends_on=(PEOPLE,),
    )
    context["department_list"] = department_list  # called by the full page only
    if unfiltered:  # the same public profiles for everyone
        context["shared_results"] = _shared_results(request, "public", context)
    return _render_list(
        request, "technicians/public_index.html", "technicians/_results.html", context
    )


@require_GET
@permission_required(permissions.can_view_directory)
def people_search(request):
    """The people picker's suggestions (portal.forms.PersonPicker): an HTML fragment of
    options for what was typed in the field named by `field` (or `q`). `scope=team`: oneself
    and one's reports; `accounts=1`: people with a login."""
    field = request.GET.get("field", "")
    text = request.GET.get("q") or (request.GET.get(field, "") if field else "")
    people = selectors.people_search(
        request.user,
        text[:100],
        team=request.GET.get("scope") == "team",
        accounts=request.GET.get("accounts") == "1",
    )
    response = render(
        request,
        "technicians/_people_suggestions.html",
        {"people": people, "query": text.strip()[:100], "field": field or "person"},
    )
    response["Cache-Control"] = "private, no-store"
    return response
