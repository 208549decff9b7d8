"""The demo data: realistic cases across the demo organisations, loaded once."""

from datetime import date

import pytest
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.cases import demo
from apps.cases.models import Case, CaseEvent, CaseNote, IdentityDocument

pytestmark = pytest.mark.django_db


def test_the_demo_opens_its_cases_once_with_withheld_documents_and_overstays():
    accounts_demo.seed()
    opened = len(demo.CASES) + len(demo.FORMER_CASES)
    assert demo.seed() == {"cases": opened}
    assert demo.seed() == {"cases": 0}
    assert Case.objects.count() == opened
    assert Case.objects.values("organization").distinct().count() >= 8
    assert IdentityDocument.objects.filter(held_by="employer").exists()
    assert Case.objects.filter(legal_stay_until__lt=timezone.localdate()).count() >= 5
    assert Case.objects.filter(status="closed").count() == 3


def test_the_demo_cases_were_opened_in_the_past_by_the_case_service():
    accounts_demo.seed()
    demo.seed()
    now = timezone.now()
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert Case.objects.filter(created_at__lt=now - timezone.timedelta(days=60)).exists()
    # The service wrote each case's first event at the moment the case was opened.
    for case in Case.objects.all():
        first = CaseEvent.objects.filter(case=case, kind="case_opened").get()
        assert first.at == case.created_at
    closed = Case.objects.filter(status="closed")
    assert all(case.created_at < case.closed_at < now for case in closed)


def test_the_demo_has_unassigned_cases_cases_without_documents_and_a_former_colleague():
    accounts_demo.seed()
    demo.seed()
    assert Case.objects.filter(assigned_to__isnull=True).count() >= 2
    assert Case.objects.filter(documents__isnull=True).exists()
    former = accounts_demo.User.objects.get(username="caseworker.former")
    assert not former.is_active
    assert CaseNote.objects.filter(author=former).exists()
    assert CaseEvent.objects.filter(actor=former).exists()
    assert Case.objects.filter(assigned_to=former).exists(), "a case still names them"
    demo.seed()
    former.refresh_from_db()
    assert not former.is_active, "a second run never reactivates the account"


def test_two_demo_cases_record_the_recruitment_debt_their_screenings_find():
    accounts_demo.seed()
    demo.seed()
    indebted = Case.objects.filter(recruitment_debt_amount__isnull=False)
    assert sorted(
        indebted.values_list("recruitment_debt_currency", "recruitment_debt_creditor")
    ) == [
        ("KZT", "recruiter"),
        ("RUB", "employer"),
    ]


def test_the_demo_stays_follow_the_host_countrys_law():
    accounts_demo.seed()
    demo.seed()
    today = timezone.localdate()
    rows = {row[1]: case for row, case in zip(demo.CASES, demo.demo_cases(), strict=True)}
    # Bekmuratov (KG, Astana) works on a construction contract: he stays for its term.
    assert rows["Bekmuratov"].stay_basis == "eaeu_employment_contract"
    assert rows["Bekmuratov"].overstay_days_on(today) == 0
    # Abdullaev (UZ, Omsk, visa-free, entered 120 days ago): Russia's 90 days per calendar year
    # (260-FZ), not Kazakhstan's 30 days: today is day 121 of the year's count, so 31 days over.
    abdullaev = rows["Abdullaev"]
    entry = abdullaev.entry_date
    expected = (
        31 if entry.year == today.year else max(0, (today - date(today.year, 1, 1)).days + 1 - 90)
    )
    assert abdullaev.overstay_days_on(today) == expected
