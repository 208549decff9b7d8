import datetime
from decimal import Decimal

import factory

from apps.training.models import Attendance, TrainingSession
from tests.accounts.factories import OrganizationFactory, UserFactory


class InspectorFactory(UserFactory):
    role = "inspector"
    date_joined = datetime.datetime(2020, 1, 6, 9, 0, tzinfo=datetime.UTC)
    organization = factory.SubFactory(
        OrganizationFactory, name="Labour Inspectorate", kind="labour_inspectorate"
    )


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    title = factory.Sequence(lambda n: f"Session {n}")
    topic = "victim_identification"
    date = datetime.date(2025, 6, 10)
    hours = Decimal("6")
    trainer_organization = "IOM Kazakhstan"
    language = "ru"
    location = "Astana"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    inspector = factory.SubFactory(InspectorFactory)
    passed = True
    score = 85


def passed_session(inspector, on, topic="victim_identification", passed=True):
    """The inspector attended a session on `topic` held on `on` (and passed, by default)."""
    session = TrainingSessionFactory(date=on, topic=topic)
    return AttendanceFactory(session=session, inspector=inspector, passed=passed)
