"""How the tasks' and follow-ups' events read on the case's timeline."""

from django.utils.translation import gettext as _


def _task_added(event) -> str:
    return _("Task #%(task)s added") % {"task": event.data.get("task")}


def _task_closed(event) -> str:
    if event.data.get("status") == "cancelled":
        return _("Task #%(task)s cancelled") % {"task": event.data.get("task")}
    return _("Task #%(task)s done") % {"task": event.data.get("task")}


def _follow_up_planned(event) -> str:
    return _("Follow-up #%(follow_up)s planned") % {"follow_up": event.data.get("follow_up")}


def _follow_up_done(event) -> str:
    return _("Follow-up #%(follow_up)s recorded") % {"follow_up": event.data.get("follow_up")}


RENDERERS = {
    "task_added": _task_added,
    "task_closed": _task_closed,
    "follow_up_planned": _follow_up_planned,
    "follow_up_done": _follow_up_done,
}
