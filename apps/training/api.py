import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.accounts.models import Organization
from apps.core.api import RolePermission
from apps.core.regions import Region

from . import selectors, services
from .certification import certification_expiry, is_certified
from .models import Attendance, SessionLanguage, TrainingSession

READ_ROLES = ["administrator", "auditor", "inspector"]


# The enum sits inside allOf so drf-spectacular does not name it "LanguageEnum", which would
# collide with the users' `language` (en, ru, kk) and fail the schema check.
@extend_schema_field({"type": "string", "allOf": [{"enum": SessionLanguage.values}]})
class SessionLanguageField(serializers.ChoiceField):
    """A session's language: ISO 639-1 code of the languages sessions are held in."""


class TrainingSessionSerializer(serializers.ModelSerializer):
    language = SessionLanguageField(label=_("language"), choices=SessionLanguage.choices)
    hours = serializers.DecimalField(label=_("hours"), max_digits=4, decimal_places=1)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "title",
            "topic",
            "date",
            "hours",
            "trainer_organization",
            "language",
            "location",
            "version",
        ]
        read_only_fields = ["id"]

    def validate_hours(self, value):
        if value <= 0 or value > 80:
            raise serializers.ValidationError(_("Enter the hours: more than 0, at most 80."))
        return value


class AttendanceLineSerializer(serializers.Serializer):
    inspector = serializers.IntegerField(label=_("inspector"))
    passed = serializers.BooleanField(label=_("passed"))
    score = serializers.IntegerField(
        label=_("score"), min_value=0, max_value=100, required=False, allow_null=True
    )


class AttendanceSerializer(serializers.ModelSerializer):
    inspector_username = serializers.CharField(source="inspector.username", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "inspector", "inspector_username", "passed", "score"]


class InspectorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name", default=None)
    region = serializers.CharField(source="organization.region", default=None)
    trained = serializers.SerializerMethodField()
    certified_until = serializers.SerializerMethodField()
    sessions_attended = serializers.IntegerField()
    training_hours = serializers.DecimalField(max_digits=8, decimal_places=1)

    def get_trained(self, obj) -> bool:
        return is_certified(obj.latest_certifying_date, timezone.localdate())

    def get_certified_until(self, obj) -> str | None:
        latest = obj.latest_certifying_date
        return certification_expiry(latest).isoformat() if latest else None


class TrainingSessionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year")

    class Meta:
        model = TrainingSession
        fields = ["topic", "language", "year"]


class TrainingSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Training sessions: administrators record them; auditors read; inspectors read their own."""

    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilter
    permission_classes = [RolePermission]
    read_roles = READ_ROLES
    write_roles = ["administrator"]

    def get_queryset(self):
        return selectors.session_list_for_user(self.request.user)

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = services.training_session_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.training_session_update(
            session=serializer.instance, actor=self.request.user, version=version, **data
        )

    @extend_schema(
        request=AttendanceLineSerializer(many=True), responses=AttendanceSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """GET: the session's attendance. POST: a list of lines, saved all or nothing."""
        session = selectors.session_get_for_user(request.user, session_id=pk)
        if request.method == "GET":
            rows = selectors.attendance_for_session(request.user, session=session)
            return Response(AttendanceSerializer(rows, many=True).data)
        lines = AttendanceLineSerializer(data=request.data, many=True)
        lines.is_valid(raise_exception=True)
        try:
            saved = services.attendance_record(
                session=session,
                actor=request.user,
                lines=[services.AttendanceLine(**item) for item in lines.validated_data],
            )
        except services.AttendanceInvalid as exc:
            # Keyed by the line's index, as DRF itself reports errors in a posted list.
            raise ValidationError(
                {str(index): errors for index, errors in sorted(exc.errors.items())}
            ) from exc
        return Response(AttendanceSerializer(saved, many=True).data, status=status.HTTP_200_OK)


class InspectorFilterSerializer(serializers.Serializer):
    trained = serializers.BooleanField(required=False, allow_null=True, default=None)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    q = serializers.CharField(required=False)


class InspectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspectors with their certification: all for administrators and auditors, an inspector's
    own organisation for inspectors; caseworkers are refused."""

    serializer_class = InspectorSerializer
    permission_classes = [RolePermission]
    read_roles = READ_ROLES
    filter_backends: list = []

    def get_queryset(self):
        params = InspectorFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.inspector_list_for_user(self.request.user, filters=params.validated_data)
