"""The services and referrals API of api.md; thin over the selectors and services."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.models import Organization
from apps.cases.models import Case
from apps.cases.selectors import case_get_for_user, case_list_for_user
from apps.core.api import AuditorReadOnly, VersionSerializer
from apps.core.regions import Region

from . import selectors, services
from .models import AssistanceRefusal, Referral, Service, ServiceType, SharedField

# --- services ------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "organization",
            "organization_name",
            "service_type",
            "name",
            "description",
            "regions",
            "languages",
            "capacity",
            "accepting",
            "eligible_sexes",
            "accepts_adults",
            "accepts_minors",
            "contact_hours",
            "version",
            "updated_at",
        ]


class ServiceWriteSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(is_active=True), required=False
    )
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    # Plain strings: service_create checks them against Region and Sex with field errors, and
    # the schema keeps one enum name per choice set (Region is `region` everywhere else).
    regions = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=False)
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-zA-Z]{2}$", max_length=2), allow_empty=False
    )
    capacity = serializers.IntegerField(min_value=0, required=False, default=0)
    accepting = serializers.BooleanField(required=False, default=True)
    eligible_sexes = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, default=list
    )
    accepts_adults = serializers.BooleanField(required=False, default=True)
    accepts_minors = serializers.BooleanField(required=False, default=False)
    contact_hours = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    version = serializers.IntegerField(required=False, write_only=True)


class ServiceFilter(django_filters.FilterSet):
    service_type = django_filters.ChoiceFilter(choices=ServiceType.choices, method="narrow")
    region = django_filters.ChoiceFilter(choices=Region.choices, method="narrow")
    language = django_filters.CharFilter(max_length=8, method="narrow")
    accepting = django_filters.BooleanFilter(method="narrow")
    organization = django_filters.NumberFilter(method="narrow")

    def narrow(self, queryset, name, value):
        return selectors.service_filter(queryset, {name: value})


class ServiceMatchSerializer(serializers.Serializer):
    service = ServiceSerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    already_referred = serializers.BooleanField()


class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The service directory; written by the offering organisation or administrators."""

    permission_classes = [IsAuthenticated, AuditorReadOnly]
    filterset_class = ServiceFilter

    def get_queryset(self):
        return selectors.service_list_for_user(self.request.user)

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return ServiceWriteSerializer
        return ServiceSerializer

    def _read(self, service_id, status_code=status.HTTP_200_OK):
        service = selectors.service_get_for_user(self.request.user, service_id=service_id)
        return Response(ServiceSerializer(service).data, status=status_code)

    @extend_schema(request=ServiceWriteSerializer, responses={201: ServiceSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ServiceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        organization = data.pop("organization", None) or request.user.organization
        if organization is None:
            raise serializers.ValidationError(
                {"organization": [_("Choose the organisation offering the service.")]}
            )
        service = services.service_create(actor=request.user, organization=organization, **data)
        return self._read(service.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ServiceWriteSerializer, responses=ServiceSerializer)
    def update(self, request, *args, **kwargs):
        service = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = ServiceWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # With partial=True, DRF still fills declared defaults; send only what the client sent.
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        if "organization" in data and data.pop("organization").pk != service.organization_id:
            raise serializers.ValidationError(
                {"organization": [_("A service cannot move to another organisation.")]}
            )
        version = data.pop("version", None)
        services.service_update(actor=request.user, service=service, version=version, **data)
        return self._read(service.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("case", int, required=True),
            OpenApiParameter("service_type", str, enum=ServiceType.values),
        ],
        responses=ServiceMatchSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="matches")
    def matches(self, request):
        """Services suggested for a case, ranked by region, type, language and capacity."""
        params = MatchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        case = case_get_for_user(request.user, case_id=params.validated_data["case"])
        matches = selectors.service_matches_for_case(
            request.user, case=case, service_type=params.validated_data.get("service_type")
        )
        page = self.paginate_queryset(matches)
        return self.get_paginated_response(ServiceMatchSerializer(page, many=True).data)


class MatchQuerySerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service_type = serializers.ChoiceField(choices=ServiceType.choices, required=False)


# --- referrals -----------------------------------------------------------------------------


class SharedPersonSerializer(serializers.Serializer):
    given_name = serializers.CharField(required=False)
    family_name = serializers.CharField(required=False)
    date_of_birth = serializers.DateField(required=False)
    sex = serializers.CharField(required=False)
    citizenship = serializers.CharField(required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    contact = serializers.CharField(required=False)
    region = serializers.CharField(required=False)


class _ReferralBaseSerializer(serializers.ModelSerializer):
    service_name = serializers.CharField(source="service.name", read_only=True)
    service_type = serializers.CharField(source="service.service_type", read_only=True)
    sending_organization_name = serializers.CharField(
        source="sending_organization.name", read_only=True
    )
    receiving_organization_name = serializers.CharField(
        source="receiving_organization.name", read_only=True
    )
    sent_by_name = serializers.SerializerMethodField()
    consent_given = serializers.SerializerMethodField()

    COMMON = [
        "id",
        "service",
        "service_name",
        "service_type",
        "sending_organization",
        "sending_organization_name",
        "receiving_organization",
        "receiving_organization_name",
        "sent_by_name",
        "status",
        "urgency",
        "reason",
        "consent_given",
        "consent_given_by",
        "consent_given_at",
        "shared_fields",
        "sent_at",
        "accepted_at",
        "declined_at",
        "completed_at",
        "withdrawn_at",
        "decline_reason",
        "outcome",
        "escalated_at",
        "version",
    ]

    def get_sent_by_name(self, referral) -> str:
        return referral.sent_by.get_full_name() or referral.sent_by.username

    def get_consent_given(self, referral) -> bool:
        # A referral only exists once consent was recorded.
        return referral.consent_given_at is not None


class SharedReferralSerializer(_ReferralBaseSerializer):
    """The receiving organisation's view: the referral and the data the consent covers."""

    person = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [*_ReferralBaseSerializer.COMMON, "person"]

    @extend_schema_field(SharedPersonSerializer)
    def get_person(self, referral) -> dict:
        return SharedPersonSerializer(selectors.referral_shared_person(referral)).data


class ReferralSerializer(_ReferralBaseSerializer):
    """The sending organisation's (and oversight's) view; the receiving side gets the shared one."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Referral
        fields = [*_ReferralBaseSerializer.COMMON, "case", "case_reference", "contact_details"]

    def to_representation(self, instance):
        user = self.context["request"].user
        if selectors.referral_sees_shared_only(user, instance):
            return SharedReferralSerializer(instance, context=self.context).data
        return super().to_representation(instance)


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.none())
    consent_given = serializers.BooleanField(required=False, default=False)
    consent_given_by = serializers.ChoiceField(
        choices=Referral.ConsentGivenBy.choices, required=False, default="person"
    )
    consent_given_at = serializers.DateTimeField(required=False)
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedField.choices), required=False
    )
    contact_details = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(allow_blank=True)
    urgency = serializers.ChoiceField(
        choices=Referral.Urgency.choices, required=False, default="routine"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator builds it without a request
            return
        user = request.user
        self.fields["case"].queryset = case_list_for_user(user)
        self.fields["service"].queryset = selectors.service_list_for_user(user)


class DeclineSerializer(VersionSerializer):
    reason = serializers.CharField(allow_blank=True)


class CompleteSerializer(VersionSerializer):
    outcome = serializers.CharField(allow_blank=True)


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Referral.Status.choices)
    urgency = django_filters.ChoiceFilter(choices=Referral.Urgency.choices)
    service = django_filters.NumberFilter()
    case = django_filters.NumberFilter(method="filter_case")
    escalated = django_filters.BooleanFilter(
        field_name="escalated_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Referral
        fields = ["status", "urgency", "service", "case"]

    def filter_case(self, queryset, name, value):
        # Only among cases the user may see: the receiving side must not learn which case a
        # referral came from by trying case ids.
        visible = case_list_for_user(self.request.user).values("pk")
        return queryset.filter(case_id=value, case_id__in=visible)


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Referrals the organisation sent or received; actions move them through the workflow."""

    permission_classes = [IsAuthenticated, AuditorReadOnly]
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_queryset(self):
        box = self.request.query_params.get("box")
        return selectors.referral_list_for_user(
            self.request.user, box=box if box in {"incoming", "outgoing"} else None
        )

    def get_object(self):
        return selectors.referral_get_for_user(
            self.request.user,
            referral_id=self.kwargs["pk"],
            audit=self.action == "retrieve",
        )

    @extend_schema(
        parameters=[OpenApiParameter("box", str, enum=["incoming", "outgoing"])],
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        selectors.referral_list_read_record(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _respond(self, referral, status_code=status.HTTP_200_OK):
        referral = selectors.referral_get_for_user(
            self.request.user, referral_id=referral.pk, audit=False
        )
        return Response(self.get_serializer(referral).data, status=status_code)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        """Refer a case's person to a service; consent must be given (400 otherwise)."""
        serializer = ReferralCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        referral = services.referral_send(actor=request.user, **serializer.validated_data)
        return self._respond(referral, status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, service, **arguments):
        referral = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = {name: data[field] for name, field in arguments.items()}
        referral = service(
            actor=request.user, referral=referral, version=data.get("version"), **extra
        )
        return self._respond(referral)

    @extend_schema(request=VersionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The receiving organisation accepts (409 invalid_transition unless it is sent)."""
        return self._act(request, VersionSerializer, services.referral_accept)

    @extend_schema(request=DeclineSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The receiving organisation declines, with a reason."""
        return self._act(request, DeclineSerializer, services.referral_decline, reason="reason")

    @extend_schema(request=CompleteSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The receiving organisation records the outcome of an accepted referral."""
        return self._act(request, CompleteSerializer, services.referral_complete, outcome="outcome")

    @extend_schema(request=VersionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The sending organisation withdraws an open referral."""
        return self._act(request, VersionSerializer, services.referral_withdraw)


# --- refusals of assistance ----------------------------------------------------------------


class AssistanceRefusalSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceRefusal
        fields = [
            "id",
            "case",
            "case_reference",
            "refused_on",
            "informed_of_rights",
            "notes",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]

    def get_recorded_by_name(self, refusal) -> str:
        return refusal.recorded_by.get_full_name() or refusal.recorded_by.username


class AssistanceRefusalCreateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    # Missing dates and an unconfirmed briefing are refused by the service, with its messages.
    refused_on = serializers.DateField(required=False, allow_null=True, default=None)
    informed_of_rights = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator builds it without a request
            return
        self.fields["case"].queryset = case_list_for_user(request.user)


class AssistanceRefusalFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter()

    class Meta:
        model = AssistanceRefusal
        fields = ["case"]


class AssistanceRefusalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Refusals of assistance recorded on the cases the user may see."""

    permission_classes = [IsAuthenticated, AuditorReadOnly]
    serializer_class = AssistanceRefusalSerializer
    filterset_class = AssistanceRefusalFilter

    def get_queryset(self):
        return selectors.assistance_refusal_list_for_user(self.request.user)

    def get_object(self):
        return selectors.assistance_refusal_get_for_user(
            self.request.user, refusal_id=self.kwargs["pk"]
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        selectors.assistance_refusal_list_read_record(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=AssistanceRefusalCreateSerializer, responses={201: AssistanceRefusalSerializer}
    )
    def create(self, request):
        """Record that the person refuses assistance, told of their rights (400 otherwise)."""
        # A role that may never record one is refused before the case named in the body is
        # looked up, so the answer says nothing about the case.
        if not services.assistance_refusal_role_allowed(request.user):
            raise PermissionDenied
        serializer = AssistanceRefusalCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        refusal = services.assistance_refusal_record(
            actor=request.user, **serializer.validated_data
        )
        refusal = selectors.assistance_refusal_get_for_user(
            request.user, refusal_id=refusal.pk, audit=False
        )
        return Response(self.get_serializer(refusal).data, status=status.HTTP_201_CREATED)
