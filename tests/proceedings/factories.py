import datetime

import factory

from apps.proceedings.models import Proceeding
from tests.accounts.factories import UserFactory


class ProceedingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proceeding
        skip_postgeneration_save = True

    exploitation = "labour"
    opened_on = datetime.date(2025, 3, 1)
    created_by = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("created_by.organization")

    @factory.post_generation
    def cases(self, create, extracted, **kwargs):
        if create and extracted:
            self.cases.set(extracted)
