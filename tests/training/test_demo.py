import pytest

from apps.accounts import demo as accounts_demo
from apps.training import demo, selectors
from apps.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_sessions_since_2022_and_can_run_twice():
    accounts_demo.seed()
    first = demo.seed()
    second = demo.seed()
    assert first == second
    assert TrainingSession.objects.filter(date__year=2022).exists()
    assert Attendance.objects.count() == first["attendances"]
    administrator = accounts_demo.User.objects.get(username="admin")
    trained = selectors.inspector_list_for_user(administrator, filters={"trained": True})
    untrained = selectors.inspector_list_for_user(administrator, filters={"trained": False})
    assert trained.exists() and untrained.exists()
    assert selectors.inspectors_due_for_renewal(administrator).exists()
