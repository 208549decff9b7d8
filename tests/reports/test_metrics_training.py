"""Prevention metrics from the training log."""

import datetime

import pytest

from apps.reports.metrics import Period, prevention_metrics
from apps.training import models as training
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def session(day, *, topic="victim_identification", hours="6", creator):
    return training.TrainingSession.objects.create(
        title=f"Session {day}",
        topic=topic,
        date=day,
        hours=hours,
        trainer_organization="IOM",
        language="ru",
        created_by=creator,
    )


def attend(session, inspector, *, passed=True, recorder):
    return training.Attendance.objects.create(
        session=session, inspector=inspector, passed=passed, score=90, recorded_by=recorder
    )


def test_prevention_counts_sessions_hours_participants_and_trained_inspectors(administrator):
    astana = OrganizationFactory(name="Insp Astana", kind="labour_inspectorate", region="astana")
    almaty = OrganizationFactory(
        name="Insp Almaty", kind="labour_inspectorate", region="almaty_city"
    )
    a1, a2 = (UserFactory(role="inspector", organization=astana) for _ in range(2))
    b1 = UserFactory(role="inspector", organization=almaty)
    for user in (a1, a2, b1):
        user.date_joined = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        user.save()
    first = session(D(2025, 3, 1), creator=administrator)
    second = session(D(2025, 9, 1), topic="debt_bondage", hours="2.5", creator=administrator)
    session(D(2024, 3, 1), creator=administrator)
    attend(first, a1, recorder=administrator)
    attend(first, b1, passed=False, recorder=administrator)
    attend(second, a1, recorder=administrator)

    result = prevention_metrics(period=Period(2025), region=None)
    assert result["training_sessions"] == 2
    assert float(result["training_hours"]) == 8.5
    assert result["training_participants"] == 2
    assert (result["inspectors_trained"], result["inspectors_active"]) == (1, 3)
    assert float(result["inspectors_trained_pct"]) == pytest.approx(33.3)

    astana_only = prevention_metrics(period=Period(2025), region="astana")
    assert astana_only["training_participants"] == 1
    assert (astana_only["inspectors_trained"], astana_only["inspectors_active"]) == (1, 2)
    assert float(astana_only["inspectors_trained_pct"]) == 50.0
