"""The protection API (api.md): formal identifications and recorded reasonable grounds."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.cases.selectors import case_list_for_user
from apps.core.access import get_or_404
from apps.core.api import AuditorReadOnly

from . import selectors, services
from .models import Identification, ProtectionEvent


class IdentificationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_username", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Identification
        fields = [
            "id",
            "person",
            "case",
            "authority",
            "decision_number",
            "decided_on",
            "outcome",
            "has_document",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_document(self, record) -> bool:
        return bool(record.document)


class IdentificationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    authority = serializers.CharField(allow_blank=True, max_length=5000)
    decision_number = serializers.CharField(allow_blank=True, max_length=5000)
    decided_on = serializers.DateField()
    outcome = serializers.CharField()
    document = serializers.FileField(required=False, allow_empty_file=False)


class ProtectionEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True, default=None)

    class Meta:
        model = ProtectionEvent
        fields = [
            "id",
            "case",
            "source",
            "from_status",
            "to_status",
            "screening",
            "identification",
            "reflection_until",
            "actor",
            "at",
        ]
        read_only_fields = fields


class GroundsSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    level = serializers.CharField(required=False, allow_blank=True, default="")
    grounds = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")


class IdentificationFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Identification.Outcome.choices)

    class Meta:
        model = Identification
        fields = ["case", "person", "outcome"]


def _visible_case(user, case_id):
    case = case_list_for_user(user).filter(pk=case_id).first()
    if case is None:
        raise ValidationError({"case": [_("No such case.")]})
    return case


class IdentificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Formal identifications by competent authorities of the persons the user may see."""

    serializer_class = IdentificationSerializer
    filterset_class = IdentificationFilter
    permission_classes = [IsAuthenticated, AuditorReadOnly]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.identification_list_for_user(self.request.user)

    def get_object(self):
        return get_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=IdentificationCreateSerializer, responses=IdentificationSerializer)
    def create(self, request):
        if not services.can_record_identification(request.user):
            raise services.PermissionDenied()
        data = IdentificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = services.identification_record(
            actor=request.user,
            case=_visible_case(request.user, values["case"]),
            authority=values["authority"],
            decision_number=values["decision_number"],
            decided_on=values["decided_on"],
            outcome=values["outcome"],
            document=values.get("document"),
        )
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class ProtectionViewSet(viewsets.GenericViewSet):
    """A case's person's protection status and history; reasonable grounds recorded by hand."""

    serializer_class = ProtectionEventSerializer
    permission_classes = [IsAuthenticated, AuditorReadOnly]

    def get_queryset(self):
        return ProtectionEvent.objects.none()

    @extend_schema(request=GroundsSerializer, responses=ProtectionEventSerializer)
    @action(detail=False, methods=["post"])
    def grounds(self, request):
        """Record reasonable grounds (level possible or presumed, and the grounds in words)."""
        if not services.can_record_grounds(request.user):
            raise services.PermissionDenied()
        data = GroundsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        event = services.protection_grounds_record(
            actor=request.user,
            case=_visible_case(request.user, values["case"]),
            level=values["level"],
            grounds=values["grounds"],
        )
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ProtectionEventSerializer(many=True))
    @action(detail=False, methods=["get"], url_path=r"history/(?P<case_id>\d+)")
    def history(self, request, case_id=None):
        """The protection status changes of the case's person, newest first."""
        case = get_or_404(case_list_for_user(request.user), pk=case_id)
        events = selectors.protection_history(case.person_id)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
