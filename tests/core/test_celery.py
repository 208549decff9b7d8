import pytest
from django.db import transaction

from apps.audit.models import AuditEntry
from apps.core.tasks import record_marker
from casemgr.celery import app


def test_celery_is_configured_for_safe_redelivery():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_prefetch_multiplier == 1
    assert "audit-heartbeat" in conf.beat_schedule


@pytest.mark.django_db
def test_tasks_run_in_process_by_default():
    assert record_marker.delay("inline").get() == "inline"
    assert AuditEntry.objects.filter(target_id="inline").count() == 1


@pytest.mark.django_db
def test_a_redelivered_task_does_no_harm():
    record_marker.delay("twice")
    record_marker.delay("twice")
    assert AuditEntry.objects.filter(target_id="twice").count() == 1


@pytest.mark.broker
def test_a_real_worker_runs_a_task_through_the_broker(celery_worker):
    marker = f"through-{celery_worker.queue}"
    with transaction.atomic():
        transaction.on_commit(lambda: record_marker.delay(marker))
    entry = celery_worker.wait_for(
        lambda: AuditEntry.objects.filter(target_id=marker).first(), timeout=60
    )
    assert entry.action == "system"
    assert "Task apps.core.tasks.record_marker" in celery_worker.log.read_text()
