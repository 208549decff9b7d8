"""A case's recruitment debt: amount, currency and creditor, through the services, the forms,
the case page and the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.cases import services
from apps.cases.models import Case
from apps.cases.retention import case_anonymise
from tests.cases.factories import CaseFactory
from tests.cases.test_api import URL, detail, payload
from tests.cases.test_views import person_post

pytestmark = pytest.mark.django_db

PERSON = {"given_name": "Aziz", "family_name": "Karimov", "citizenship": "UZ"}


def _open(actor, **debt) -> Case:
    return services.case_open(
        actor=actor, person=PERSON, region="astana", identified_via="hotline", **debt
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_a_case_opens_with_its_recruitment_debt(caseworker_a):
    case = _open(
        caseworker_a,
        recruitment_debt_amount=Decimal("450000"),
        recruitment_debt_currency="KZT",
        recruitment_debt_creditor="recruiter",
    )
    case.refresh_from_db()
    assert case.recruitment_debt_amount == Decimal("450000.00")
    assert (case.recruitment_debt_currency, case.recruitment_debt_creditor) == ("KZT", "recruiter")
    assert case.has_recruitment_debt


def test_an_amount_needs_a_currency(caseworker_a):
    errors = _errors(lambda: _open(caseworker_a, recruitment_debt_amount=Decimal("100")))
    assert errors == {"recruitment_debt_currency": ["Give the currency of the debt amount."]}
    assert not Case.objects.exists()


def test_a_currency_or_creditor_without_an_amount_is_refused(caseworker_a):
    errors = _errors(
        lambda: _open(
            caseworker_a, recruitment_debt_currency="KZT", recruitment_debt_creditor="employer"
        )
    )
    assert errors == {
        "recruitment_debt_currency": ["Enter the amount of the debt."],
        "recruitment_debt_creditor": ["Enter the amount of the debt."],
    }


@pytest.mark.parametrize(
    ("debt", "field"),
    [
        ({"recruitment_debt_amount": Decimal("-1"), "recruitment_debt_currency": "KZT"}, "amount"),
        ({"recruitment_debt_amount": Decimal("1"), "recruitment_debt_currency": "XYZ"}, "currency"),
        ({"recruitment_debt_amount": Decimal("1"), "recruitment_debt_currency": "HRK"}, "currency"),
        (
            {
                "recruitment_debt_amount": Decimal("1"),
                "recruitment_debt_currency": "KZT",
                "recruitment_debt_creditor": "boss",
            },
            "creditor",
        ),
    ],
)
def test_bad_debt_values_are_refused(caseworker_a, debt, field):
    assert f"recruitment_debt_{field}" in _errors(lambda: _open(caseworker_a, **debt))


def test_an_update_records_and_clears_the_debt_with_its_rules(caseworker_a):
    case = _open(caseworker_a)
    errors = _errors(
        lambda: services.case_update(
            case=case,
            actor=caseworker_a,
            version=case.version,
            data={"recruitment_debt_amount": Decimal("60000")},
        )
    )
    assert "recruitment_debt_currency" in errors
    case = services.case_update(
        case=case,
        actor=caseworker_a,
        version=case.version,
        data={
            "recruitment_debt_amount": Decimal("60000"),
            "recruitment_debt_currency": "RUB",
            "recruitment_debt_creditor": "employer",
        },
    )
    event = case.events.get(kind="case_updated")
    assert sorted(event.data["changes"]) == [
        "recruitment_debt_amount",
        "recruitment_debt_creditor",
        "recruitment_debt_currency",
    ]
    case = services.case_update(
        case=case,
        actor=caseworker_a,
        version=case.version,
        data={
            "recruitment_debt_amount": None,
            "recruitment_debt_currency": "",
            "recruitment_debt_creditor": "",
        },
    )
    case.refresh_from_db()
    assert case.recruitment_debt_amount is None and not case.has_recruitment_debt


def test_the_timeline_names_the_debt_fields(client, caseworker_a):
    case = _open(caseworker_a)
    services.case_update(
        case=case,
        actor=caseworker_a,
        version=case.version,
        data={"recruitment_debt_amount": Decimal("1"), "recruitment_debt_currency": "KZT"},
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "recruitment debt amount, recruitment debt currency" in html


def test_anonymisation_keeps_the_debt_like_the_wages(caseworker_a):
    case = CaseFactory(
        organization=caseworker_a.organization,
        status="closed",
        recruitment_debt_amount=Decimal("5000"),
        recruitment_debt_currency="USD",
        recruitment_debt_creditor="intermediary",
    )
    case = case_anonymise(case=case)
    case.refresh_from_db()
    assert (case.recruitment_debt_amount, case.recruitment_debt_currency) == (5000, "USD")


# --- the case page and forms ----------------------------------------------------------------


def _debt_case(organization, **kwargs) -> Case:
    return CaseFactory(
        organization=organization,
        recruitment_debt_amount=Decimal("150000"),
        recruitment_debt_currency="KZT",
        recruitment_debt_creditor="employer",
        **kwargs,
    )


def _fact(html: str) -> str:
    start = html.index('data-fact="recruitment-debt">') + len('data-fact="recruitment-debt">')
    return html[start : html.index("</dd>", start)]


def test_the_case_page_shows_the_debt_in_the_readers_language(client, caseworker_a):
    case = _debt_case(caseworker_a.organization)
    client.force_login(caseworker_a)
    page = reverse("cases:detail", args=[case.pk])
    english = _fact(client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert english == '150,000.00 <abbr title="Kazakhstani Tenge">KZT</abbr> — owed to: Employer'
    russian = _fact(client.get(page, HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert russian.startswith("150\xa0000,00 <abbr") and "кредитор: Работодатель" in russian
    kazakh = _fact(client.get(page, HTTP_ACCEPT_LANGUAGE="kk").content.decode())
    assert "Қазақстан теңгесі" in kazakh and "Жұмыс беруші" in kazakh


def test_a_case_without_a_debt_shows_a_dash(client, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client.force_login(caseworker_a)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _fact(html) == "—"


def test_the_forms_offer_currencies_by_name_regional_first(client, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    client.force_login(caseworker_a)
    for url in (
        reverse("cases:create"),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:employment_add", args=[case.pk]),
    ):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
        assert '<option value="KZT">KZT — Қазақстан теңгесі</option>' in html, url
        assert html.index('value="BYN"') < html.index('value="AED"') < html.index('value="ZWG"')
    html = client.get(reverse("cases:create"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "<legend>Жұмысқа орналасу қарызы (міндетті емес)</legend>" in html


def test_opening_a_case_with_a_debt_from_the_form(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post(
        reverse("cases:create"),
        person_post(
            **{
                "case-recruitment_debt_amount": "450000.50",
                "case-recruitment_debt_currency": "kzt",
                "case-recruitment_debt_creditor": "intermediary",
            }
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.recruitment_debt_amount == Decimal("450000.50")
    assert (case.recruitment_debt_currency, case.recruitment_debt_creditor) == (
        "KZT",
        "intermediary",
    )


@pytest.mark.parametrize(
    ("debt", "message"),
    [
        ({"case-recruitment_debt_currency": "XYZ"}, "XYZ is not an ISO 4217 currency code"),
        ({"case-recruitment_debt_amount": "100"}, "Give the currency of the debt amount."),
        ({"case-recruitment_debt_creditor": "employer"}, "Enter the amount of the debt."),
        ({"case-recruitment_debt_amount": "-3"}, "greater than or equal to 0"),
    ],
)
def test_a_bad_debt_on_the_form_is_a_400(client, caseworker_a, debt, message):
    client.force_login(caseworker_a)
    response = client.post(reverse("cases:create"), person_post(**debt))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_errors_are_translated(client, caseworker_a):
    client.force_login(caseworker_a)
    for debt, msgid in (
        (
            {"case-recruitment_debt_currency": "XYZ"},
            "%(value)s is not an ISO 4217 currency code (for example KZT, RUB, USD).",
        ),
        ({"case-recruitment_debt_creditor": "employer"}, "Enter the amount of the debt."),
    ):
        response = client.post(
            reverse("cases:create"), person_post(**debt), HTTP_ACCEPT_LANGUAGE="kk"
        )
        with translation.override("kk"):
            expected = translation.gettext(msgid) % {"value": "XYZ"}
        assert expected != msgid % {"value": "XYZ"}
        assert response.status_code == 400 and expected in response.content.decode()


def test_the_edit_form_keeps_the_debt_when_saved_unchanged(client, caseworker_a):
    case = _debt_case(caseworker_a.organization)
    client.force_login(caseworker_a)
    form = client.get(reverse("cases:edit", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="ru").context
    html = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert '<option value="KZT" selected>' in html
    data = {
        **{f"person-{k}": v for k, v in form["forms"][0].initial.items() if v is not None},
        **{f"case-{k}": v for k, v in form["forms"][1].initial.items() if v is not None},
        "person-languages": "uz, ru",
        "case-sector": "trade",
    }
    data.pop("person-id", None)
    data.pop("case-id", None)
    response = client.post(reverse("cases:edit", args=[case.pk]), data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.recruitment_debt_amount == Decimal("150000")
    assert (case.sector, case.recruitment_debt_currency) == ("trade", "KZT")


def test_a_withdrawn_currency_stays_selected_and_asks_for_a_current_one(client, caseworker_a):
    case = _debt_case(caseworker_a.organization)
    Case.objects.filter(pk=case.pk).update(recruitment_debt_currency="HRK")
    client.force_login(caseworker_a)
    html = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert '<option value="HRK" selected>HRK</option>' in html


# --- the API --------------------------------------------------------------------------------

DEBT = {
    "recruitment_debt_amount": "150000.5",
    "recruitment_debt_currency": "kzt",
    "recruitment_debt_creditor": "recruiter",
}


def test_the_api_round_trip_of_the_debt(api, caseworker_a):
    client = api.as_user(caseworker_a)
    response = client.post(URL, payload(**DEBT), format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["recruitment_debt_amount"] == "150000.50"
    assert body["recruitment_debt_currency"] == "KZT"
    assert body["recruitment_debt_creditor"] == "recruiter"
    case = Case.objects.get()
    response = client.patch(
        detail(case),
        {
            "version": body["version"],
            "recruitment_debt_amount": 70000,
            "recruitment_debt_currency": "rub",
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.json()["recruitment_debt_amount"] == "70000.00"
    listed = client.get(URL).json()["results"][0]
    assert listed["recruitment_debt_amount"] == "70000.00"
    assert listed["recruitment_debt_currency"] == "RUB"
    assert listed["recruitment_debt_creditor"] == "recruiter"


@pytest.mark.parametrize(
    ("debt", "field"),
    [
        ({"recruitment_debt_amount": "abc", "recruitment_debt_currency": "KZT"}, "amount"),
        ({"recruitment_debt_amount": "-5", "recruitment_debt_currency": "KZT"}, "amount"),
        ({"recruitment_debt_amount": "1.234", "recruitment_debt_currency": "KZT"}, "amount"),
        ({"recruitment_debt_amount": "1" * 13, "recruitment_debt_currency": "KZT"}, "amount"),
        ({"recruitment_debt_amount": "10", "recruitment_debt_currency": "XYZ"}, "currency"),
        ({"recruitment_debt_amount": "10", "recruitment_debt_currency": "KZTT"}, "currency"),
        ({"recruitment_debt_amount": "10"}, "currency"),
        ({"recruitment_debt_currency": "KZT"}, "currency"),
        ({"recruitment_debt_creditor": "employer"}, "creditor"),
        ({"recruitment_debt_amount": "1", "recruitment_debt_currency": "KZT",
          "recruitment_debt_creditor": "boss"}, "creditor"),
    ],
)  # fmt: skip
def test_a_bad_debt_through_the_api_is_a_400(api, caseworker_a, debt, field):
    response = api.as_user(caseworker_a).post(URL, payload(**debt), format="json")
    assert response.status_code == 400, response.data
    assert f"recruitment_debt_{field}" in response.json()
    assert not Case.objects.exists()


def test_a_bad_debt_patch_is_a_translated_400(api, caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization)
    response = api.as_user(caseworker_a).patch(
        detail(case),
        {"version": case.version, "recruitment_debt_amount": "10"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    with translation.override("ru"):
        expected = translation.gettext("Give the currency of the debt amount.")
    assert response.json()["recruitment_debt_currency"] == [expected]
    assert expected != "Give the currency of the debt amount."
