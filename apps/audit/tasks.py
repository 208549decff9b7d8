"""Periodic checkpoints of the audit chain (beat: `audit-checkpoint`)."""

from celery import shared_task

from .chain import checkpoint_write


@shared_task(name="audit.write_checkpoint", acks_late=True, ignore_result=True)
def write_checkpoint() -> dict:
    """Append a signed checkpoint of the chain's head; a redelivery only adds another line."""
    checkpoint = checkpoint_write()
    return {"count": checkpoint.count, "last_id": checkpoint.last_id}
