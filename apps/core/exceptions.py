"""Errors raised by services; the API turns them into the responses of api.md."""

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """A workflow rule refuses the change: answered as 409 with a machine-readable code."""

    default_code = "workflow_rule"
    default_detail = _("This change is not allowed in the record's current state.")

    def __init__(self, detail=None, *, code: str | None = None):
        self.code = code or self.default_code
        self.detail = detail if detail is not None else self.default_detail
        super().__init__(str(self.detail))


class StaleVersion(WorkflowError):
    default_code = "stale_version"
    default_detail = _(
        "Someone else changed this record after you opened it. Reload it and apply your change again."
    )


class RateLimited(WorkflowError):
    """Too many requests of one kind from one user: answered as 429."""

    default_code = "rate_limited"
    default_detail = _("Too many requests of this kind. Wait a while and try again.")
