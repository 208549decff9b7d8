"""Forms never lose data, in a real browser: every edit form, opened in Russian or Kazakh by a
user who works in that language and saved unchanged, leaves its record exactly as it was.

tests/crawl/test_forms_roundtrip.py emulates what a browser submits; this one asks chromium, so
that what only a browser does (a date input blanking a value not in ISO format, a select
dropping an option it does not offer, a textarea's line breaks) is caught too.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.cases.factories import (
    CaseFactory,
    EmploymentFactory,
    IdentityDocumentFactory,
    PersonFactory,
)
from tests.proceedings.factories import ProceedingFactory
from tests.referrals.factories import ServiceFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Bookkeeping that a save may move on without changing what the record says.
IGNORED = {"version", "updated_at", "modified_at"}


@dataclass
class Edit:
    user: object
    url: str
    records: list
    # What the page's date inputs must show: {input name: the record's date, or None}.
    dates: dict[str, datetime.date | None]


def _case(language: str):
    """An open case with every fact filled; days after the 12th so no day reads as a month."""
    organization = OrganizationFactory(name="NGO Roundtrip", region="astana")
    caseworker = UserFactory(role="caseworker", organization=organization, language=language)
    colleague = UserFactory(
        role="caseworker", organization=organization, first_name="Aigerim", last_name="Sadykova"
    )
    person = PersonFactory(
        family_name="Rahimova",
        given_name="Dilnoza",
        middle_name="Akmalovna",
        sex="female",
        date_of_birth=datetime.date(1991, 7, 23),
        citizenship="UZ",
        languages=["uz", "ru"],
        phone="+7 701 555 01 23",
        email="dilnoza@example.org",
        address="Astana, Kenesary 40, 17",
    )
    case = CaseFactory(
        person=person,
        organization=organization,
        created_by=caseworker,
        assigned_to=colleague,
        sector="agriculture",
        identified_via="hotline",
        entry_date=datetime.date(2026, 1, 14),
        border_crossing_point="Zhibek Zholy",
        stay_basis="temporary_residence_permit",
        permit_valid_until=datetime.date(2026, 11, 27),
        recruitment_debt_amount=Decimal("1500.00"),
        recruitment_debt_currency="USD",
        recruitment_debt_creditor="recruiter",
        risk_level="high",
        victim_status="identified",
        identified_on=datetime.date(2026, 2, 16),
    )
    return caseworker, case


def _case_edit(language: str) -> Edit:
    caseworker, case = _case(language)
    return Edit(
        caseworker,
        reverse("cases:edit", args=[case.pk]),
        [case, case.person],
        {
            "person-date_of_birth": case.person.date_of_birth,
            "person-entry_ban_until": case.person.entry_ban_until,
            "case-entry_date": case.entry_date,
            "case-permit_valid_until": case.permit_valid_until,
        },
    )


def _document_edit(language: str) -> Edit:
    caseworker, case = _case(language)
    document = IdentityDocumentFactory(
        case=case,
        kind="passport",
        number="FA1234567",
        issuing_country="TJ",
        issued_on=datetime.date(2019, 3, 14),
        expires_on=datetime.date(2029, 3, 13),
        held_by="employer",
    )
    return Edit(
        caseworker,
        reverse("cases:document_edit", args=[case.pk, document.pk]),
        [document],
        {"issued_on": document.issued_on, "expires_on": document.expires_on},
    )


def _employment_edit(language: str) -> Edit:
    caseworker, case = _case(language)
    job = EmploymentFactory(
        case=case,
        employer="Agro-Sever LLP",
        address="Akmola region, Shortandy",
        sector="agriculture",
        region="akmola",
        started_on=datetime.date(2026, 1, 15),
        ended_on=datetime.date(2026, 5, 29),
        wage_period="month",
        promised_wage_amount=Decimal("400.00"),
        promised_wage_currency="USD",
        actual_wage_amount=Decimal("1250000.00"),
        actual_wage_currency="UZS",
        promised_hours_per_week=40,
        actual_hours_per_week=84,
    )
    return Edit(
        caseworker,
        reverse("cases:employment_edit", args=[case.pk, job.pk]),
        [job],
        {"started_on": job.started_on, "ended_on": job.ended_on},
    )


def _proceeding_edit(language: str) -> Edit:
    caseworker, case = _case(language)
    other = CaseFactory(organization=case.organization, created_by=caseworker)
    proceeding = ProceedingFactory(
        created_by=caseworker,
        organization=case.organization,
        reference="2025-017-1234",
        exploitation="labour",
        opened_on=datetime.date(2025, 3, 14),
        prosecuted_on=datetime.date(2025, 6, 17),
        convicted_on=datetime.date(2025, 11, 21),
        official_complicity=True,
        cases=[case, other],
    )
    return Edit(
        caseworker,
        reverse("proceedings:edit", args=[proceeding.pk]),
        [proceeding],
        {
            "opened_on": proceeding.opened_on,
            "prosecuted_on": proceeding.prosecuted_on,
            "convicted_on": proceeding.convicted_on,
            "acquitted_on": None,
        },
    )


def _service_edit(language: str) -> Edit:
    organization = OrganizationFactory(name="Shelter Roundtrip", region="astana")
    caseworker = UserFactory(role="caseworker", organization=organization, language=language)
    service = ServiceFactory(
        organization=organization,
        service_type="shelter",
        name="Safe house",
        description="Rooms for women and children.\nAn interpreter on call.",
        capacity=7,
        accepting=True,
        eligible_sexes=["female"],
        accepts_adults=True,
        accepts_minors=True,
        contact_hours="24/7",
        regions=["astana", "akmola"],
        languages=["kk", "ru", "uz"],
    )
    return Edit(caseworker, reverse("referrals:service_edit", args=[service.pk]), [service], {})


def _training_session_edit(language: str) -> Edit:
    administrator = UserFactory(role="administrator", organization=None, language=language)
    session = TrainingSessionFactory(
        title="Identifying forced labour",
        topic="victim_identification",
        date=datetime.date(2025, 6, 17),
        hours=Decimal("6.5"),
        trainer_organization="IOM Kazakhstan",
        language="kk",
        location="Astana, Mangilik El 8",
    )
    return Edit(
        administrator,
        reverse("training:session_edit", args=[session.pk]),
        [session],
        {"date": session.date},
    )


FORMS = {
    "case": _case_edit,
    "document": _document_edit,
    "employment": _employment_edit,
    "proceeding": _proceeding_edit,
    "service": _service_edit,
    "training_session": _training_session_edit,
}


def _snapshot(record) -> dict:
    record.refresh_from_db()
    values = {k: v for k, v in model_to_dict(record).items() if k not in IGNORED}
    for name in ("regions", "languages"):
        # A service's regions and languages live in rows of their own.
        if isinstance(getattr(type(record), name, None), property):
            values[name] = getattr(record, name)
    if "cases" in values:
        values["cases"] = sorted(case.pk for case in values["cases"])
    return values


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not urlsplit(page.url).path.startswith("/accounts/"), f"still on {page.url}"


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("form", list(FORMS))
def test_an_edit_form_saved_unchanged_in_the_browser_changes_nothing(new_context, form, language):
    edit = FORMS[form](language)
    before = [_snapshot(record) for record in edit.records]
    page = new_context().new_page()
    _sign_in(page, edit.user.username)

    response = page.goto(edit.url)
    assert response.status == 200, edit.url
    assert page.locator("html").get_attribute("lang") == language
    shown = page.eval_on_selector_all(
        "main form input[type=date]",
        "inputs => Object.fromEntries(inputs.map(i => [i.name, i.value]))",
    )
    expected = {name: day.isoformat() if day else "" for name, day in edit.dates.items()}
    assert shown == expected, f"{form} [{language}]: the date inputs do not show the dates"

    save = page.locator("main form[method=post] button[type=submit]")
    assert save.count() == 1
    with page.expect_navigation() as navigation:
        save.click()
    answer = navigation.value
    assert answer.request.redirected_from is not None, (
        f"{form} [{language}] did not save: {answer.status} "
        f"{page.locator('main').inner_text()[:500]}"
    )
    assert answer.status < 400
    assert urlsplit(page.url).path != edit.url
    assert page.locator(".errorlist-box, .errorlist, .has-error, .message.error").count() == 0

    after = [_snapshot(record) for record in edit.records]
    assert after == before, f"{form} [{language}] changed a field"
