"""The removals API of api.md (thin: the services apply the screening gate)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.cases.selectors import case_list_for_user
from apps.core.api import AuditorReadOnly

from . import selectors, services
from .models import Removal


class RemovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Removal
        fields = [
            "id",
            "case",
            "grounds",
            "proposed_on",
            "proposed_by",
            "status",
            "suspended_at",
            "reflection_until",
            "decision",
            "decided_at",
            "decided_by",
            "protection_elsewhere",
            "overridden",
            "override_grounds",
            "override_justification",
            "protected_at_decision",
            "enforced_at",
            "enforced_by",
            "screening_at_decision",
            "screened_before_decision",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class RemovalCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    grounds = serializers.CharField()
    proposed_on = serializers.DateField(required=False)


class DecideSerializer(serializers.Serializer):
    decision = serializers.CharField()
    version = serializers.IntegerField(required=False)


class OverrideSerializer(serializers.Serializer):
    decision = serializers.CharField()
    grounds = serializers.CharField(required=False, allow_blank=True, default="")
    justification = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    version = serializers.IntegerField(required=False)


class EnforceSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class IdentityCheckSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RemovalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Removal.Status.choices)

    class Meta:
        model = Removal
        fields = ["status", "case", "grounds"]


def _require(user, roles) -> None:
    # Checked before the body, so that a refused role never learns what a valid body is.
    if user.role not in roles:
        raise PermissionDenied()


class RemovalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Proposed removals of the cases the user may see, and their decisions."""

    serializer_class = RemovalSerializer
    filterset_class = RemovalFilter
    # Who may propose, decide or override is the services' rule (403 from PermissionDenied).
    permission_classes = [IsAuthenticated, AuditorReadOnly]

    def get_queryset(self):
        return selectors.removal_list_for_user(self.request.user)

    def get_object(self):
        return selectors.removal_get_for_user(self.request.user, removal_id=self.kwargs["pk"])

    @extend_schema(request=RemovalCreateSerializer, responses=RemovalSerializer)
    def create(self, request):
        _require(request.user, services.PROPOSE_ROLES)
        data = RemovalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = case_list_for_user(request.user).filter(pk=values["case"]).first()
        if case is None:
            raise ValidationError({"case": [_("No such case.")]})
        removal = services.removal_propose(
            actor=request.user,
            case=case,
            grounds=values["grounds"],
            proposed_on=values.get("proposed_on"),
        )
        return Response(self.get_serializer(removal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideSerializer, responses=RemovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        _require(request.user, services.DECIDE_ROLES)
        removal = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        removal = services.removal_decide(
            actor=request.user,
            removal=removal,
            decision=data.validated_data["decision"],
            version=data.validated_data.get("version"),
        )
        return Response(self.get_serializer(removal).data)

    @extend_schema(request=OverrideSerializer, responses=RemovalSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        _require(request.user, services.OVERRIDE_ROLES)
        removal = self.get_object()
        data = OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        removal = services.removal_override(
            actor=request.user,
            removal=removal,
            decision=data.validated_data["decision"],
            justification=data.validated_data["justification"],
            grounds=data.validated_data["grounds"],
            version=data.validated_data.get("version"),
        )
        return Response(self.get_serializer(removal).data)

    @extend_schema(request=EnforceSerializer, responses=RemovalSerializer)
    @action(detail=True, methods=["post"])
    def enforce(self, request, pk=None):
        """Record that a decided removal was carried out (409 while the person is flagged)."""
        _require(request.user, services.ENFORCE_ROLES)
        removal = self.get_object()
        data = EnforceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        removal = services.removal_enforce(
            actor=request.user, removal=removal, version=data.validated_data.get("version")
        )
        return Response(self.get_serializer(removal).data)

    @extend_schema(request=IdentityCheckSerializer, responses=RemovalSerializer)
    @action(detail=True, methods=["post"], url_path="identity-check")
    def identity_check(self, request, pk=None):
        """Record "checked, not the same person" for the flagged possible matches elsewhere
        (409 no_identity_check_needed when there are none)."""
        _require(request.user, services.IDENTITY_CHECK_ROLES)
        removal = self.get_object()
        data = IdentityCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.identity_check_record(
            actor=request.user, removal=removal, reason=data.validated_data["reason"]
        )
        removal.refresh_from_db()
        return Response(self.get_serializer(removal).data)
