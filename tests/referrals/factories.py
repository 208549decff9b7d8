import factory
from django.utils import timezone

from apps.referrals.models import Referral, Service, ServiceLanguage, ServiceRegion
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cases.factories import CaseFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    service_type = "shelter"
    name = factory.Sequence(lambda n: f"Service {n}")
    capacity = 5
    accepting = True
    accepts_adults = True
    accepts_minors = False
    contact_hours = "Mon–Fri 9:00–18:00"

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        for region in extracted if extracted is not None else [self.organization.region]:
            ServiceRegion.objects.create(service=self, region=region)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        for language in extracted if extracted is not None else ["ru", "kk"]:
            ServiceLanguage.objects.create(service=self, language=language)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral in the state `status`, made directly (the workflow is tested through services)."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    service = factory.SubFactory(ServiceFactory)
    sending_organization = factory.SelfAttribute("case.organization")
    receiving_organization = factory.SelfAttribute("service.organization")
    sent_by = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..sending_organization")
    )
    status = "sent"
    urgency = "routine"
    reason = "Needs a safe place to stay tonight."
    consent_given_by = "person"
    consent_given_at = factory.LazyFunction(timezone.now)
    shared_fields = factory.LazyFunction(lambda: ["name", "sex", "languages"])
    sent_at = factory.LazyFunction(timezone.now)
