import django_filters
from rest_framework import serializers, viewsets

from apps.core.api import RolePermission

from . import selectors
from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "target_type",
            "target_id",
            "ip_address",
            "details",
        ]


class AuditFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "actor_username", "target_type", "target_id"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log (administrators and auditors)."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    permission_classes = [RolePermission]
    read_roles = ["administrator", "auditor"]

    def get_queryset(self):
        return selectors.audit_list_for_user(self.request.user)
