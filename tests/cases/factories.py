import datetime

import factory

from apps.cases.models import Case, Person
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


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"KZ-2026-{n + 1:06d}")
    person = factory.SubFactory(PersonFactory)
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
