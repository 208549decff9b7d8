"""API conventions of api.md: pagination, error format, role permissions."""

import math
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import RateLimited, WorkflowError
from .pagination import BoundedCountPaginator


class VersionSerializer(serializers.Serializer):
    """The `version` a workflow action starts from (optional: omitted, no staleness check)."""

    version = serializers.IntegerField(required=False, min_value=1)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class BoundedCountPagination(Pagination):
    """Pagination for lists that can be national: `count` is exact up to
    CASEMGR_LIST_COUNT_LIMIT, beyond it the limit with `count_is_lower_bound: true`."""

    django_paginator_class = BoundedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # A view may read its pages its own way (`page_rows`, a function of the sliced list),
        # while the count reads the list itself.
        rows = getattr(view, "page_rows", None)
        self.django_paginator_class = partial(BoundedCountPaginator, rows=rows)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_lower_bound": self.page.paginator.count_is_lower_bound,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_lower_bound": {"type": "boolean", "example": False},
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        response["required"] = [*response.get("required", []), "count_is_lower_bound"]
        return response


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in msgs]
            for field, msgs in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": [str(m) for m in exc.messages]}
    return exceptions.ValidationError(detail)


def throttled_message(wait) -> str:
    if wait is None:
        return str(RateLimited.default_detail)
    seconds = max(1, math.ceil(wait))
    if seconds < 60:
        return ngettext(
            "Too many requests of this kind. Try again in %(seconds)d second.",
            "Too many requests of this kind. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many requests of this kind. Try again in %(minutes)d minute.",
        "Too many requests of this kind. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def exception_handler(exc, context):
    """DRF's handler, plus 409 for workflow rules and 400 for model validation errors."""
    if isinstance(exc, OverflowError | DataError):
        # A number or date beyond what the database stores (a fuzzer's id of 10**30, say) is
        # the client's mistake; the transaction it broke has been rolled back.
        return Response(
            {"non_field_errors": [_("A value is out of the range this system can store.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.Throttled):
        # DRF's throttles and the sign-in throttle: 429 with Retry-After and, in the reader's
        # language, when to try again.
        response = drf_exception_handler(exc, context)
        response.data = {
            "code": getattr(exc, "casemgr_code", "rate_limited"),
            "detail": getattr(exc, "casemgr_detail", None) or throttled_message(exc.wait),
        }
        return response
    if isinstance(exc, RateLimited):
        return Response(
            {"code": exc.code, "detail": str(exc.detail)},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if isinstance(exc, WorkflowError):
        return Response(
            {"code": exc.code, "detail": str(exc.detail)}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class RolePermission(permissions.BasePermission):
    """Reads for the roles in `read_roles`, writes for those in `write_roles` (view attributes)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            roles = getattr(view, "read_roles", None)
        else:
            roles = getattr(view, "write_roles", None)
        return roles is None or user.role in roles


class AuditorReadOnly(permissions.BasePermission):
    """Auditors oversee: they read everything and change nothing."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user and user.is_authenticated and user.role == "auditor":
            return request.method in permissions.SAFE_METHODS
        return True
