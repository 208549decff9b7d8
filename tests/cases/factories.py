import datetime
from decimal import Decimal

import factory

from apps.cases.models import Case, CaseNote, Employment, IdentityDocument, Person
from apps.cases.services import case_stay_assessment
from tests.accounts.factories import OrganizationFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Iterator(["Aziz", "Dilnoza", "Farrukh", "Gulnora", "Jamshid", "Malika"])
    family_name = factory.Iterator(["Karimov", "Rahimova", "Nazarov", "Tursunova", "Saidov"])
    sex = "male"
    date_of_birth = datetime.date(1995, 4, 12)
    citizenship = "UZ"
    languages = factory.LazyFunction(lambda: ["uz", "ru"])


def _legal_stay_until(case) -> datetime.date | None:
    # The service's own assessment, with no earlier stays (a new case has none).
    return case_stay_assessment(case, person=case.person, stays=[]).until


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"KZ-2026-{n + 1:06d}")
    person = factory.SubFactory(PersonFactory)
    # As the services store it: the person's, copied for the list's filter.
    citizenship = factory.SelfAttribute("person.citizenship")
    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization")
    )
    assigned_to = factory.SelfAttribute("created_by")
    region = factory.SelfAttribute("organization.region")
    sector = "construction"
    identified_via = "labour_inspection"
    entry_date = datetime.date(2026, 1, 10)
    stay_basis = "eaeu_90_days"
    permit_valid_until = None
    # As the services store it, from the seeded stay rules.
    legal_stay_until = factory.LazyAttribute(_legal_stay_until)


class IdentityDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDocument

    case = factory.SubFactory(CaseFactory)
    kind = "passport"
    number = factory.Sequence(lambda n: f"AA{n + 1000000:07d}")
    issuing_country = factory.SelfAttribute("case.person.citizenship")
    held_by = "self"


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    case = factory.SubFactory(CaseFactory)
    employer = "Stroi-Invest LLP"
    sector = "construction"
    region = factory.SelfAttribute("case.region")
    started_on = datetime.date(2026, 1, 15)
    promised_wage_amount = Decimal("250000")
    promised_wage_currency = "KZT"
    actual_wage_amount = Decimal("90000")
    actual_wage_currency = "KZT"
    promised_hours_per_week = 40
    actual_hours_per_week = 72


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.created_by")
    text = "Met at the construction site; an interpreter will be needed."
