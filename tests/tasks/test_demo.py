import pytest
from django.core.management import call_command

from apps.tasks.models import FollowUp, Task

pytestmark = pytest.mark.django_db


def test_the_demo_has_tasks_and_follow_ups_and_a_second_run_adds_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Task.objects.count(), FollowUp.objects.count())
    assert Task.objects.filter(source="rule").exists()
    assert Task.objects.filter(source="manual").exists()
    assert FollowUp.objects.filter(status="planned").exists()
    assert FollowUp.objects.filter(status="done").exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Task.objects.count(), FollowUp.objects.count()) == counts
