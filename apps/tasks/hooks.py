"""What other apps call when they change a date a task rule reads (docs/tasks.md).

They call it inside their own transaction, so a case's tasks never disagree with its dates."""


def case_changed(case) -> None:
    """Bring the case's rule tasks in step with its dates (idempotent)."""
    from .rules import sync_case_tasks

    if case is not None:
        sync_case_tasks(case)


def person_changed(person_id: int) -> None:
    """Every case of the person (protection status, grounds and reflection are the person's)."""
    from .rules import sync_person_cases

    sync_person_cases(person_id)


def inspector_changed(inspector) -> None:
    """The inspector's certification task (and their administrators')."""
    from .rules import sync_certification_tasks

    sync_certification_tasks(inspector)
