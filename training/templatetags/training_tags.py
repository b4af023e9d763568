"""The training catalogue's course cards and a booking's status badge, written here rather
than by templates included in a loop: 30 cards took about 9 ms of template work, a third of
the page."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat, pluralize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from portal.markup import escaped
from portal.periods import short_date, short_date_time
from portal.reversing import url_for

register = template.Library()

NEEDS_APPROVAL = ' · <span class="badge badge-warning">Needs manager approval</span>'
NO_SESSION = (
    '<p class="card-line muted">No upcoming session: open the course to be told when it runs.</p>'
)


@register.simple_tag
def course_card(course) -> str:
    """`{% course_card course %}`: a course from `selectors.catalogue` (its next session and
    how many are to come annotated), as the catalogue lists it."""
    days = course.days
    line = (
        f'<p class="card-line"><span class="badge">{escaped(course.get_category_display())}'
        f"</span> {escaped(course.provider)} · {escaped(floatformat(days, '-2'))} "
        f"day{pluralize(days)}{NEEDS_APPROVAL if course.requires_manager_approval else ''}</p>"
    )
    session = course.next_session
    if session is None:
        upcoming = NO_SESSION
    else:
        starts = template_localtime(session.starts_at)  # as the template's date filter does
        if session.seats_left:
            seats = f"{escaped(session.seats_left)} of {escaped(session.capacity)} seats left"
        else:
            waiting = f", {escaped(intcomma(session.waiting))} waiting" if session.waiting else ""
            seats = f"full{waiting}"
        count = course.upcoming_count
        upcoming = (
            f'<p class="card-line">Next: <time datetime="{escaped(starts.isoformat())}">'
            f"{escaped(short_date_time(starts))}</time> — {seats}</p>"
            f'<p class="card-line muted">{escaped(count)} upcoming session{pluralize(count)}</p>'
        )
    return mark_safe(  # noqa: S308 (every value is escaped)
        '<li class="panel course-card">'
        f'<h2 class="course-title"><a href="{escaped(course.get_absolute_url())}">'
        f"{escaped(course.title)}</a></h2>{line}{upcoming}</li>"
    )


_WAITING_STATUSES = frozenset({"waitlisted", "requested"})


@register.simple_tag
def booking_status(booking) -> str:
    """`{% booking_status booking %}`: the booking's status as a badge (a warning while it
    waits for a seat or for approval)."""
    warning = " badge-warning" if booking.status in _WAITING_STATUSES else ""
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<span class="badge{warning}" data-status="{escaped(booking.status)}">'
        f"{escaped(booking.get_status_display())}</span>"
    )


@register.simple_tag(takes_context=True)
def ledger_rows(context, records) -> str:
    """`{% ledger_rows mine.records %}`: the rows of my training's ledger (training/me.html),
    each record's day, title, category and days, with its evidence link and, for a record of
    one's own, the form that removes it. Written here rather than by the template's loop: a
    year's records were half of the page's template work."""
    # What `{% csrf_token %}` writes: nothing where the page has no token.
    token = context.get("csrf_token")
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(token)}">'
        if token and token != "NOTPROVIDED"  # noqa: S105 (Django's word for "no token")
        else ""
    )
    rows = []
    for record in records:
        title = escaped(record.title)
        provider = (
            f' <span class="muted">({escaped(record.provider)})</span>' if record.provider else ""
        )
        actions = []
        if record.evidence:
            evidence = url_for("training:record_evidence", record.pk)
            actions.append(f'<a href="{escaped(evidence)}">Evidence</a>')
        if not record.booking_id:
            remove = url_for("training:record_delete", record.pk)
            actions.append(
                f'<form method="post" action="{escaped(remove)}" class="inline-form">'
                f"{hidden}"
                '<button type="submit" class="link-button">Remove<span class="visually-hidden"> '
                f"{title}</span></button></form>"
            )
        rows.append(
            f"<tr><td>{escaped(short_date(record.date))}</td>"
            f'<th scope="row">{title}{provider}</th>'
            f"<td>{escaped(record.get_category_display())}</td>"
            f'<td class="numeric">{escaped(floatformat(record.days, "-2"))}</td>'
            f"<td>{' '.join(actions)}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped)
