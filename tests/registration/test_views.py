"""The registration pages: applying, the steps of an application, proofs, the CPD record (PDF
and CSV), review and summary query counts at two sizes, post-nominals and the directory's
registration filters, dashboard panels and demo data."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal import roles
from registration import panels, services
from registration.demo import seed_demo
from registration.models import (
    CPDEntry,
    FundingApplication,
    FundingBudget,
    ProfessionalBody,
    Register,
    Registration,
)
from tests import factories
from tests.registration.conftest import PDF, S, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(registers, ist, **overrides):
    data = {
        "register": registers["RSciTech"].pk,
        "body": ist.pk,
        "amount_requested": "",
        "amount_reason": "",
        "justification": "I run the teaching labs' analytical kit.",
    }
    data.update(overrides)
    return data


# --- applying -------------------------------------------------------------------------------


def test_applying_submits_to_the_line_manager(personas, login, registers, ist, budget):
    client = login(personas.technician)
    response = client.post("/registration/apply/", form_data(registers, ist, submit="1"))
    application = FundingApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.status == S.SUBMITTED
    assert application.amount_requested == Decimal("58.00")
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted, waiting for endorsement" in page
    assert "Withdraw this application" in page


def test_a_draft_is_saved_and_edited(personas, login, registers, ist, budget):
    client = login(personas.technician)
    client.post("/registration/apply/", form_data(registers, ist, save="1"))
    application = FundingApplication.objects.get()
    assert application.status == S.DRAFT
    response = client.post(
        f"/registration/applications/{application.pk}/edit/",
        form_data(registers, ist, register=registers["RSci"].pk, save="1"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.register.code == "RSci"
    assert application.amount_requested == Decimal("74.00")


def test_bad_input_is_explained_and_nothing_is_lost(personas, login, registers, ist, budget):
    client = login(personas.technician)
    response = client.post(
        "/registration/apply/",
        form_data(registers, ist, amount_requested="20", justification="Keep this text"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "please give a reason" in page
    assert "Keep this text" in page
    assert not FundingApplication.objects.exists()


def test_the_line_manager_endorses_and_hr_approves_on_the_page(personas, login, make_application):
    application = make_application(S.SUBMITTED)
    url = f"/registration/applications/{application.pk}/"
    manager = login(personas.manager)
    assert "Endorse" in manager.get(url).content.decode()
    response = manager.post(url + "endorse/", {"note": "Yes, fully."})
    assert response.status_code == 302
    hr = login(personas.hr)
    page = hr.get(url).content.decode()
    assert "Approve £58.00" in page and "left of £1,000.00" in page
    assert hr.post(url + "approve/", {"note": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == S.APPROVED
    page = login(personas.technician).get(url).content.decode()
    assert "Approved, waiting for proof of registration" in page
    assert "Yes, fully." in page  # the timeline keeps the endorsement's note


def test_the_line_manager_sends_an_application_back_on_the_page(personas, login, make_application):
    application = make_application(S.SUBMITTED)
    url = f"/registration/applications/{application.pk}/"
    manager = login(personas.manager)
    assert "Send back for changes" in manager.get(url).content.decode()
    # No note: the page again, saying what is missing, nothing changed.
    response = manager.post(url + "send_back/", {"send_back-note": ""})
    assert response.status_code == 400
    assert "Please say what the applicant should change." in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    response = manager.post(url + "send_back/", {"send_back-note": "Add last year's CPD."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.DRAFT
    page = login(personas.technician).get(url).content.decode()
    assert "Add last year&#x27;s CPD." in page or "Add last year's CPD." in page
    assert "Edit the draft" in page
    # Nobody else sends it back.
    services.submit_application(application, by=personas.technician)
    stranger = login(personas.steering)
    assert stranger.post(url + "send_back/", {"send_back-note": "x"}).status_code in (403, 404)


def test_a_refused_step_says_why(personas, login, make_application, budget):
    budget.amount = Decimal("10.00")
    budget.save()
    application = make_application(S.ENDORSED)
    response = login(personas.hr).post(
        f"/registration/applications/{application.pk}/approve/", {"note": "ok"}
    )
    assert response.status_code == 400
    assert "over budget" in response.content.decode()
    response = login(personas.hr).post(
        f"/registration/applications/{application.pk}/reject/", {"note": ""}
    )
    assert response.status_code == 400
    assert "Please write a note saying why." in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.ENDORSED


def test_a_step_by_the_wrong_person_is_forbidden(personas, login, make_application):
    application = make_application(S.SUBMITTED)
    url = f"/registration/applications/{application.pk}/endorse/"
    assert login(personas.technician).post(url).status_code == 403
    assert login(personas.steering).post(url).status_code == 404  # cannot even see it
    assert login(personas.hr).post(url).status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_step_from_the_wrong_state_is_refused_with_a_message(personas, login, make_application):
    application = make_application(S.DRAFT)
    response = login(personas.technician).post(
        f"/registration/applications/{application.pk}/withdraw/", follow=True
    )
    assert "withdrawn" in response.content.decode().lower()
    response = login(personas.technician).post(
        f"/registration/applications/{application.pk}/withdraw/", follow=True
    )
    assert "before a decision" in response.content.decode()


# --- proofs ---------------------------------------------------------------------------------


def test_proof_is_uploaded_checked_and_served_only_to_those_who_may_see_it(
    personas, login, make_application
):
    application = make_application(S.APPROVED)
    url = f"/registration/applications/{application.pk}/"
    client = login(personas.technician)
    bad = client.post(url + "record/", {"proof": pdf_upload("proof.pdf", b"not a pdf")})
    assert bad.status_code == 400
    assert "is not a PDF, or a PNG, JPEG or WebP image" in bad.content.decode()
    good = client.post(url + "record/", {"proof": pdf_upload("My certificate.pdf")})
    assert good.status_code == 302
    application.refresh_from_db()
    assert application.status == S.REGISTERED
    proof_url = f"/registration/applications/{application.pk}/proof/file/"
    for persona in ("technician", "manager", "hr"):
        response = login(getattr(personas, persona)).get(proof_url)
        assert response.status_code == 200, persona
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    for persona in ("steering", "coordinator"):
        assert login(getattr(personas, persona)).get(proof_url).status_code == 404
    assert login(None).get(proof_url).status_code == 302


# --- registrations and the CPD record -------------------------------------------------------


def test_a_technician_records_a_registration_and_it_shows_on_the_profile(
    personas, login, registers, ist
):
    client = login(personas.technician)
    response = client.post(
        "/registration/registrations/new/",
        {
            "register": registers["RSciTech"].pk,
            "body": ist.pk,
            "membership_number": "IST12345",
            "registered_on": "2025-06-01",
            "renewal_due_on": "2026-06-01",
            "status": "active",
        },
    )
    assert response.status_code == 302
    profile = client.get(f"/technicians/{personas.technician_profile.pk}/").content.decode()
    assert '<span class="post-nominals">RSciTech</span>' in profile


def test_cpd_record_pdf_and_csv_hold_the_entries_of_the_period(personas, login):
    technician = personas.technician_profile
    for day, activity, hours in [
        (datetime.date(2026, 5, 12), "Webinar on LC-MS method validation", "1.5"),
        (datetime.date(2026, 9, 3), "Mentored a new apprentice on COSHH", "3"),
        (datetime.date(2025, 1, 20), "Outside the period", "2"),
    ]:
        CPDEntry.objects.create(
            technician=technician,
            date=day,
            activity=activity,
            hours=Decimal(hours),
            learning=f"What I learned from: {activity}",
        )
    client = login(personas.technician)
    period = {"start": "2026-04-01", "end": "2026-11-30"}
    response = client.get("/registration/cpd/record.pdf", period)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "CPD record: Alex Tech" in text
    assert "Webinar on LC-MS method validation" in text
    assert "Mentored a new apprentice on COSHH" in text
    assert "Outside the period" not in text
    assert "4.5 hours" in text

    response = client.get("/registration/cpd/record.csv", period)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["date", "source", "activity", "hours", "what I learned", "evidence"]
    assert [row[2] for row in rows[1:]] == [
        "Webinar on LC-MS method validation",
        "Mentored a new apprentice on COSHH",
    ]


def test_a_bad_period_is_explained(personas, login):
    response = login(personas.technician).get(
        "/registration/cpd/record.pdf", {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "must not come before its start" in response.content.decode()


def test_cpd_evidence_is_checked_and_private(personas, login):
    client = login(personas.technician)
    response = client.post(
        "/registration/cpd/new/",
        {
            "date": "2026-06-01",
            "activity": "Read the new COSHH guidance",
            "hours": "1",
            "learning": "What changed.",
            "evidence": pdf_upload("notes.pdf"),
        },
    )
    assert response.status_code == 302
    entry = CPDEntry.objects.get()
    assert entry.evidence.name.startswith("cpd-evidence/")
    url = f"/registration/cpd/{entry.pk}/evidence/"
    assert client.get(url).status_code == 200
    assert login(personas.hr).get(url).status_code == 200
    assert login(personas.manager).get(url).status_code == 404
    refused = login(personas.technician).post(
        "/registration/cpd/new/",
        {
            "date": "2026-06-01",
            "activity": "x",
            "hours": "1",
            "learning": "y",
            "evidence": pdf_upload("notes.pdf", b"MZ\x90\x00 an executable"),
        },
    )
    assert refused.status_code == 200 and "whatever its name says" in refused.content.decode()
    assert CPDEntry.objects.count() == 1


# --- query counts at two sizes ----------------------------------------------------------------


def _many_applications(count, personas, registers, ist):
    """`count` applications of `count` technicians of the manager's team, in every state the
    review page lists."""
    rows = []
    for index in range(count):
        technician = factories.TechnicianFactory(
            line_manager=personas.manager_profile, department=personas.technician_profile.department
        )
        register = registers["RSciTech"]
        status = [S.SUBMITTED, S.ENDORSED, S.APPROVED, S.REGISTERED, S.PAID][index % 5]
        rows.append(
            FundingApplication(
                applicant=technician,
                register=register,
                body=ist,
                application_fee=register.application_fee,
                annual_fee=register.annual_fee,
                amount_requested=register.first_year_cost,
                justification="Many.",
                status=status,
                financial_year=2026 if status in FundingApplication.FUNDED else None,
            )
        )
        Registration.objects.create(
            technician=technician,
            register=register,
            body=ist,
            registered_on=datetime.date(2026, 5, 1),
            status=Registration.Status.ACTIVE,
        )
    FundingApplication.objects.bulk_create(rows)


@pytest.mark.parametrize("size", [5, 60])
@pytest.mark.parametrize("persona", ["manager", "hr"])
def test_the_review_page_runs_a_fixed_number_of_queries(
    size, persona, personas, login, registers, ist, budget, django_assert_max_num_queries
):
    _many_applications(size, personas, registers, ist)
    client = login(getattr(personas, persona))
    client.get("/registration/")
    with django_assert_max_num_queries(12):
        response = client.get("/registration/review/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("/registration/applications/") >= size // 5


@pytest.mark.parametrize("size", [5, 60])
def test_the_hr_summary_runs_a_fixed_number_of_queries(
    size, personas, login, registers, ist, budget, django_assert_max_num_queries
):
    _many_applications(size, personas, registers, ist)
    client = login(personas.hr)
    client.get("/registration/")
    with django_assert_max_num_queries(14):
        response = client.get("/registration/summary/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["registered"] == size
    assert summary["technicians"] == size + 2


@pytest.mark.parametrize("size", [5, 60])
def test_my_registration_page_runs_a_fixed_number_of_queries(
    size, personas, login, make_application, django_assert_max_num_queries
):
    for _ in range(size // 5):
        make_application(S.SUBMITTED)
    client = login(personas.technician)
    client.get("/registration/")
    with django_assert_max_num_queries(12):
        assert client.get("/registration/").status_code == 200


def test_the_summary_csv_exports(personas, login, registers, ist, budget):
    _many_applications(5, personas, registers, ist)
    client = login(personas.hr)
    for table in ("registered", "by-register", "by-body", "by-department", "by-year"):
        response = client.get(f"/registration/summary/{table}.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(client.get("/registration/summary/by-register.csv").content.decode())
        )
    )
    assert ["RSciTech", "Registered Science Technician", "5"] in [
        [cell.lstrip("\ufeff") for cell in row] for row in rows
    ]
    assert client.get("/registration/summary/nothing.csv").status_code == 404


def test_the_budget_page_sets_a_year(personas, login):
    client = login(personas.hr)
    response = client.post("/registration/budget/", {"financial_year": 2027, "amount": "7500"})
    assert response.status_code == 302
    assert FundingBudget.objects.get(financial_year=2027).amount == Decimal("7500.00")
    assert "2027–28" in client.get("/registration/budget/").content.decode()


# --- post-nominals and the directory --------------------------------------------------------


def _register(technician, code, status=Registration.Status.ACTIVE):
    register = Register.objects.get(code=code)
    body = register.bodies.order_by("name").first()
    return Registration.objects.create(
        technician=technician, register=register, body=body, status=status
    )


def test_post_nominals_on_cards_and_the_register_filter(personas, login, registers):
    department = personas.technician_profile.department
    chemist = factories.TechnicianFactory(
        first_name="Cara", last_name="Chem", department=department
    )
    engineer = factories.TechnicianFactory(first_name="Eli", last_name="Eng", department=department)
    _register(chemist, "RSciTech")
    _register(chemist, "CSci")
    _register(engineer, "EngTech")
    _register(engineer, "IEng", status=Registration.Status.LAPSED)
    client = login(personas.technician)
    page = client.get("/technicians/").content.decode()
    assert '<span class="post-nominals">RSciTech, CSci</span>' in page
    assert '<span class="post-nominals">EngTech</span>' in page
    assert "IEng" not in page.split('name="register"')[0]  # lapsed: not shown on the card

    def cards(params):
        page = client.get("/technicians/", params).content.decode()
        return {name for name in ("Eli Eng", "Cara Chem", "Alex Tech") if f">{name}</a>" in page}

    assert cards({"register": "EngTech"}) == {"Eli Eng"}
    assert cards({"registered": "on"}) == {"Eli Eng", "Cara Chem"}
    assert cards({"register": "IEng"}) == set()  # lapsed registrations do not count
    assert cards({}) == {"Eli Eng", "Cara Chem", "Alex Tech"}


@pytest.mark.postgres
def test_a_searched_pages_letters_come_with_its_own_query(personas, login, registers):
    """On PostgreSQL the cards' letters are read by the results' query (a subquery run for the
    page's rows), not by a query of their own; each letter once, in the registers' order."""
    chemist = factories.TechnicianFactory(
        first_name="Cara", last_name="Chem", job_title="Spectroscopy technician"
    )
    _register(chemist, "CSci")
    _register(chemist, "RSciTech")
    client = login(personas.technician)
    client.get("/technicians/", {"q": "spectroscopy"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/technicians/", {"q": "spectroscopy"}).content.decode()
    assert '<span class="post-nominals">RSciTech, CSci</span>' in page
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "registration_registration".')
    ]


def test_kept_cards_show_a_new_registration_and_a_register_changed_at_once(
    personas, login, registers
):
    client = login(personas.manager)
    mine = personas.technician_profile
    client.get("/technicians/")  # the page of cards is kept now
    registration = _register(mine, "RSciTech")
    page = client.get("/technicians/").content.decode()
    assert '<span class="post-nominals">RSciTech</span>' in page
    register = registers["RSciTech"]
    register.post_nominal = "RSciTech (new)"
    register.save()
    page = client.get("/technicians/").content.decode()
    assert '<span class="post-nominals">RSciTech (new)</span>' in page
    registration.status = Registration.Status.LAPSED
    registration.save()
    page = client.get("/technicians/").content.decode()
    assert "RSciTech (new)</span>" not in page


def test_the_register_filter_lists_registers_read_once_and_follows_their_changes(
    personas, login, registers
):
    client = login(personas.technician)
    client.get("/technicians/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/technicians/").content.decode()
    assert '<option value="EngTech">' in page
    assert not [q for q in queries.captured_queries if 'FROM "registration_register"' in q["sql"]]
    engtech = registers["EngTech"]
    engtech.title = "Engineering Technician (renamed)"
    engtech.save()
    page = client.get("/technicians/").content.decode()
    assert "Engineering Technician (renamed) (EngTech)</option>" in page


def test_an_unknown_register_in_the_directory_is_refused_with_a_message(personas, login, registers):
    page = login(personas.technician).get("/technicians/", {"register": "NOPE"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_public_profiles_show_post_nominals_on_meet_our_technicians(personas, login, registers):
    public = factories.TechnicianFactory(
        first_name="Pia", last_name="Public", visibility="public", is_active=True
    )
    _register(public, "RSci")
    page = login(None).get("/meet-our-technicians/").content.decode()
    assert "Pia" in page and '<span class="post-nominals">RSci</span>' in page


@pytest.mark.parametrize("size", [10, 120])
def test_the_directory_stays_constant_query_with_post_nominals(
    size, personas, login, registers, django_assert_max_num_queries
):
    department = personas.technician_profile.department
    for index in range(size):
        technician = factories.TechnicianFactory(department=department)
        _register(technician, "RSciTech" if index % 2 else "EngTech")
    client = login(personas.technician)
    client.get("/technicians/")
    with django_assert_max_num_queries(13):
        response = client.get("/technicians/", {"registered": "on"})
    assert response.content.decode().count('class="post-nominals"') == min(size, 24)


# --- dashboard panels and demo data -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("technician", {"registration.mine"}),
        ("manager", {"registration.mine", "registration.endorsements"}),
        ("hr", {"registration.hr"}),
        ("steering", set()),
    ],
)
def test_dashboard_panels_by_role(persona, expected, personas, make_application):
    make_application(S.SUBMITTED)
    user = getattr(personas, persona)
    request = RequestFactory().get("/")
    request.user = user
    shown = {panel.name for panel in panels.PANELS if panel.applies(user)}
    assert shown == expected
    for panel in panels.PANELS:
        if panel.name in shown:
            html = render_to_string(panel.template, panel.context(request), request=request)
            assert "<h2" in html
            if panel.name == "registration.endorsements":
                assert "Alex Tech, RSciTech" in html
            if panel.name == "registration.hr":
                assert "Budget" in html


def test_demo_data_has_registrations_budgets_and_every_state(personas, registers, department):
    from django.utils import timezone

    from portal.periods import financial_year_of

    for _ in range(60):
        factories.TechnicianFactory(department=department, line_manager=personas.manager_profile)
    seed_demo(technicians=60, stdout=io.StringIO())
    assert set(FundingApplication.objects.values_list("status", flat=True)) == set(S.values)
    year = financial_year_of(timezone.localdate())
    assert set(FundingBudget.objects.values_list("financial_year", flat=True)) >= {year, year - 1}
    assert 3 <= Registration.objects.count() <= 20
    for application in FundingApplication.objects.all():
        assert application.events.first().to_status == S.DRAFT
        assert application.events.last().to_status == application.status
    for year_figures in (services.year_figures(year), services.year_figures(year - 1)):
        assert year_figures["remaining"] >= 0
    # Idempotent: nothing more the second time.
    count = FundingApplication.objects.count()
    seed_demo(technicians=60, stdout=io.StringIO())
    assert FundingApplication.objects.count() == count
    assert ProfessionalBody.objects.filter(registers__code="ICTTech").exists()


def test_hr_edits_a_register_fees_and_new_applications_take_them(
    personas, login, registers, make_application
):
    before = make_application(S.DRAFT)
    rsci = registers["RSci"]
    client = login(personas.hr)
    assert "Demo values" in client.get("/registration/fees/").content.decode()
    response = client.post(
        "/registration/fees/",
        {
            "register": rsci.pk,
            f"r{rsci.pk}-application_fee": "40.00",
            f"r{rsci.pk}-annual_fee": "41.00",
            f"r{rsci.pk}-fee_note": "2026 fees, checked with the IST.",
        },
    )
    assert response.status_code == 302
    rsci.refresh_from_db()
    assert (rsci.application_fee, rsci.annual_fee) == (Decimal("40.00"), Decimal("41.00"))
    assert make_application(S.DRAFT, register="RSci").amount_requested == Decimal("81.00")
    before.refresh_from_db()
    assert before.amount_requested == Decimal("58.00")  # made before: its own fees
    refused = client.post(
        "/registration/fees/", {"register": rsci.pk, f"r{rsci.pk}-application_fee": "-1"}
    )
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()


def test_the_register_admin_lets_hr_edit_fees(personas):
    from django.contrib import admin

    model_admin = admin.site._registry[Register]
    request = RequestFactory().get("/admin/")
    request.user = personas.hr
    assert model_admin.has_change_permission(request)
    request.user = personas.technician
    assert not model_admin.has_change_permission(request)


def test_the_dashboard_shows_the_registration_panels(personas, login, make_application):
    make_application(S.SUBMITTED)
    manager_page = login(personas.manager).get("/").content.decode()
    assert "Registration funding to endorse" in manager_page
    assert "Alex Tech, RSciTech" in manager_page
    hr_page = login(personas.hr).get("/").content.decode()
    assert "Registration funding" in hr_page and "Budget" in hr_page


def test_the_endorsement_panel_counts_every_application_waiting(
    personas, login, registers, ist, make_application
):
    """The panel lists the five waiting longest and says how many wait in all."""
    from tests.conftest import make_user

    colleague = factories.TechnicianFactory(
        department=personas.technician_profile.department,
        line_manager=personas.manager_profile,
        user=make_user("casey.colleague@example.ac.uk", roles.TECHNICIAN),
    )
    codes = sorted(ist.registers.values_list("code", flat=True))
    for applicant in (personas.technician, colleague.user):
        for code in codes:
            make_application(S.SUBMITTED, register=code, user=applicant)
    waiting = 2 * len(codes)
    assert waiting > 5
    page = login(personas.manager).get("/").content.decode()
    assert (
        f"{waiting} applications waiting for your endorsement</strong>; the 5 waiting longest:"
        in page
    )
    panel = page[page.index("registration-endorse-heading") : page.index("Review applications")]
    assert panel.count("<li>") == 5


def test_each_body_on_the_forms_names_the_registers_it_awards(personas, login, registers, ist):
    client = login(personas.technician)
    for url in ("/registration/apply/", "/registration/registrations/new/"):
        page = client.get(url).content.decode()
        assert 'name="body"' in page and 'data-narrowed-by="register"' in page
        awarded = " ".join(str(pk) for pk in sorted(ist.registers.values_list("pk", flat=True)))
        assert f'data-registers="{awarded}" value="{ist.pk}"' in page or (
            f'value="{ist.pk}" data-registers="{awarded}"' in page
        )


def test_hr_dashboard_counts_are_the_review_queues_lengths(make_application, registers, personas):
    from registration import selectors

    make_application(S.SUBMITTED, register="RSciTech")  # Alex's: Morgan endorses
    make_application(S.ENDORSED, register="RSci")
    make_application(S.REGISTERED, register="CSci")
    make_application(S.SUBMITTED, register="RSciTech", user=personas.manager)  # no manager: HR
    for user in (personas.hr, personas.manager, personas.technician):
        queues = selectors.review_queues(user)
        counts = selectors.review_counts(user)
        lengths = (len(queues.endorse), len(queues.decide), len(queues.pay), queues.figures)
        assert (counts.endorse, counts.decide, counts.pay, counts.figures) == lengths
    hr = selectors.review_counts(personas.hr)
    assert (hr.endorse, hr.decide, hr.pay) == (1, 1, 1)
    assert selectors.review_counts(personas.manager).endorse == 1


def test_hr_dashboard_counts_are_compiled_once_for_every_viewer_of_a_shape(
    make_application, registers, personas, request
):
    from registration import selectors
    from registration.models import FundingApplication
    from tests.conftest import make_user

    make_application(S.SUBMITTED, register="RSciTech", user=personas.manager)  # no manager: HR
    other_hr = make_user("harper.hr@example.ac.uk", roles.HR)
    factories.TechnicianFactory(user=other_hr, email=other_hr.email)
    first = selectors.review_counts(personas.hr)
    compiled = request.getfixturevalue("compiled")  # counted from here on
    second = selectors.review_counts(other_hr)
    assert (second.endorse, second.decide, second.pay) == (first.endorse, first.decide, first.pay)
    assert second.endorse == 1
    assert FundingApplication not in compiled
