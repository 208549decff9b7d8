import pytest

from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory, PersonFactory

from .factories import ServiceFactory


@pytest.fixture
def case_a(caseworker_a):
    """An open case of NGO A, about an adult Uzbek man who speaks Uzbek and Russian."""
    person = PersonFactory(given_name="Aziz", family_name="Karimov", languages=["uz", "ru"])
    return CaseFactory(
        organization=caseworker_a.organization,
        created_by=caseworker_a,
        person=person,
        region="almaty_city",
    )


@pytest.fixture
def shelter_b(ngo_b):
    """NGO B's shelter in Almaty, accepting, with places."""
    return ServiceFactory(
        organization=ngo_b,
        name="Almaty shelter",
        service_type="shelter",
        regions=["almaty_city"],
        languages=["ru", "uz"],
        capacity=4,
    )


@pytest.fixture
def ngo_c(db):
    return OrganizationFactory(name="NGO C", kind="ngo", region="shymkent")


@pytest.fixture
def caseworker_c(ngo_c):
    return UserFactory(username="caseworker_c", role="caseworker", organization=ngo_c)


@pytest.fixture
def send(case_a, shelter_b, caseworker_a):
    """Send a referral from NGO A's case to NGO B's shelter through the service."""
    from apps.referrals import services

    def _send(**overrides):
        arguments = {
            "actor": caseworker_a,
            "case": case_a,
            "service": shelter_b,
            "consent_given": True,
            "reason": "Evicted by the employer, needs a safe place tonight.",
            "urgency": "urgent",
            "shared_fields": ["name", "sex", "languages"],
        } | overrides
        return services.referral_send(**arguments)

    return _send
