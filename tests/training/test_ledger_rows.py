"""My training's ledger rows are written in Python (`{% ledger_rows %}`): each must be the
markup the template's loop wrote, evidence links and removal forms included."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from training.models import Category, TrainingRecord

# The rows as the template wrote them before.
TEMPLATE_ROWS = """{% load portal_tags %}
    {% for record in records %}
    <tr>
      <td>{{ record.date|short_date }}</td>
      <th scope="row">{{ record.title }}{% if record.provider %} <span class="muted">({{ record.provider }})</span>{% endif %}</th>
      <td>{{ record.get_category_display }}</td>
      <td class="numeric">{{ record.days|floatformat:"-2" }}</td>
      <td>{% if record.evidence %}<a href="{% url 'training:record_evidence' record.pk %}">Evidence</a>{% endif %}
        {% if not record.booking_id %}<form method="post" action="{% url 'training:record_delete' record.pk %}" class="inline-form">{% csrf_token %}<button type="submit" class="link-button">Remove<span class="visually-hidden"> {{ record.title }}</span></button></form>{% endif %}</td>
    </tr>
    {% endfor %}
"""  # noqa: E501
TAG_ROWS = "{% load training_tags %}{% ledger_rows records %}"


def records() -> list[TrainingRecord]:
    kinds = [  # (title, provider, days, evidence, from a booking)
        ("Safe use of lathes", "", Decimal("1.00"), "", None),
        ("<b>Risk</b> & \u201csafety\u201d", "Royal <Society>", Decimal("0.50"), "e.pdf", None),
        ("Cryo-EM masterclass", "EMBL", Decimal("2.25"), "cert.pdf", 41),
        ("Mentoring skills", "", Decimal("10"), "", 42),
        ("Café training: l'été", "", Decimal("0.1"), "", None),
    ]
    categories = list(Category.values)
    return [
        TrainingRecord(
            pk=500 + number,
            date=datetime.date(2026, 1 + number, 28),
            title=title,
            provider=provider,
            days=days,
            evidence=evidence,
            booking_id=booking,
            category=categories[number % len(categories)],
        )
        for number, (title, provider, days, evidence, booking) in enumerate(kinds)
    ]


@pytest.mark.parametrize("token", ["a-csrf-token-of-64-characters", ""])
def test_the_rows_are_the_markup_the_template_wrote(token):
    context = {"records": records(), "csrf_token": token}
    written = Template(TAG_ROWS).render(Context(context))
    expected = Template(TEMPLATE_ROWS).render(Context(context))
    assert parse_html(f"<table>{written}</table>") == parse_html(f"<table>{expected}</table>")
    assert "&lt;b&gt;Risk&lt;/b&gt; &amp;" in written
    assert written.count("<form ") == 3  # a form for each record of one's own


def test_no_records_write_no_rows():
    assert Template(TAG_ROWS).render(Context({"records": [], "csrf_token": "t"})) == ""
