"""The cases API of api.md: thin views over the selectors and services."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.models import User
from apps.core.api import AuditorReadOnly, BoundedCountPagination, RolePermission
from apps.core.regions import Region
from apps.core.throttling import DuplicateCheckRateThrottle, SearchRateThrottle

from . import selectors, services, timeline
from .models import (
    Case,
    CaseEvent,
    CaseNote,
    Employment,
    IdentityDocument,
    Person,
    PersonLink,
    RiskLevel,
    Sector,
    Sex,
    VictimStatus,
)
from .stay import overstay_days
from .validators import validate_country, validate_currency

READ_ROLES = ["caseworker", "inspector", "administrator", "auditor"]
WRITE_ROLES = ["caseworker", "inspector", "administrator"]


class UpperCaseCharField(serializers.CharField):
    """ISO codes are accepted in any case and stored upper case."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class PersonSerializer(serializers.ModelSerializer):
    citizenship = UpperCaseCharField(max_length=2, validators=[validate_country])

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "middle_name",
            "sex",
            "date_of_birth",
            "citizenship",
            "languages",
            "phone",
            "email",
            "address",
            "entry_ban_country",
            "entry_ban_until",
            "protection_status",
            "grounds_on",
            "reflection_until",
        ]
        # The person's protection status is written only by apps.protection (issue 16).
        read_only_fields = ["protection_status", "grounds_on", "reflection_until"]


class StaySerializer(serializers.Serializer):
    """An earlier stay in the host country (docs/cases.md: rolling and yearly counts)."""

    entered = serializers.DateField(label=_("entered"))
    left = serializers.DateField(label=_("left"))


class DocumentSerializer(serializers.ModelSerializer):
    issuing_country = UpperCaseCharField(
        max_length=2, required=False, allow_blank=True, validators=[validate_country]
    )
    is_withheld = serializers.BooleanField(read_only=True)

    class Meta:
        model = IdentityDocument
        fields = [
            "id",
            "kind",
            "number",
            "issuing_country",
            "issued_on",
            "expires_on",
            "held_by",
            "is_withheld",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "version", "created_at"]


class EmploymentSerializer(serializers.ModelSerializer):
    promised_wage_currency = UpperCaseCharField(
        max_length=3, required=False, allow_blank=True, validators=[validate_currency]
    )
    actual_wage_currency = UpperCaseCharField(
        max_length=3, required=False, allow_blank=True, validators=[validate_currency]
    )

    class Meta:
        model = Employment
        fields = ["id", *services.EMPLOYMENT_FIELDS, "version", "created_at"]
        read_only_fields = ["id", "version", "created_at"]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, label=_("version"))


class CaseFieldsSerializer(serializers.ModelSerializer):
    """A case's fields as the API shows them, by DRF's walk over a Case."""

    person = PersonSerializer(read_only=True)
    overstay_days = serializers.SerializerMethodField()
    has_withheld_documents = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "person",
            "region",
            "sector",
            "identified_via",
            "entry_date",
            "border_crossing_point",
            "stay_basis",
            "permit_valid_until",
            "legal_stay_until",
            "overstay_days",
            "recruitment_debt_amount",
            "recruitment_debt_currency",
            "recruitment_debt_creditor",
            "risk_level",
            "victim_status",
            "protection_status",
            "reflection_until",
            "identified_on",
            "has_withheld_documents",
            "assigned_to",
            "organization",
            "outcome",
            "closed_at",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    # The person's protection status (issue 16): the case's victim_status mirrors it.
    protection_status = serializers.CharField(source="person.protection_status", read_only=True)
    reflection_until = serializers.DateField(source="person.reflection_until", read_only=True)

    def get_overstay_days(self, case) -> int:
        return case.overstay_days_on(self.context.get("today") or timezone.localdate())

    def get_has_withheld_documents(self, case) -> bool:
        value = getattr(case, "has_withheld_documents", None)
        if value is None:
            value = any(d.is_withheld for d in case.documents.all())
        return value


class CaseSerializer(CaseFieldsSerializer):
    """A case as lists show it."""

    # Written from a row of CASE_LIST_VALUES (CaseViewSet.page_rows), not from a Case.

    def to_representation(self, row):
        # The list reads rows with values() (CASE_LIST_VALUES): no Case and Person built per
        # row, 1 ms of a page of 50. The fields above, written out: DRF would build 33 field
        # objects per request and walk them for every row, 10 ms of a 50-row page
        # (docs/benchmarks.md). Dates and times go through DRF's own fields, so the JSON is the
        # same as DRF's walk over the case (tests/cases/test_api.py).
        date, when = _DATE.to_representation, _DATETIME.to_representation
        born, debt = row["person__date_of_birth"], row["recruitment_debt_amount"]
        today = self.context.get("today") or timezone.localdate()
        return {
            "id": row["id"],
            "reference": row["reference"],
            "status": row["status"],
            "person": {
                "given_name": row["person__given_name"],
                "family_name": row["person__family_name"],
                "middle_name": row["person__middle_name"],
                "sex": row["person__sex"],
                "date_of_birth": None if born is None else str(born),
                "citizenship": row["person__citizenship"],
                "languages": row["person__languages"],
                "phone": row["person__phone"],
                "email": row["person__email"],
                "address": row["person__address"],
                "entry_ban_country": row["person__entry_ban_country"],
                "entry_ban_until": date(row["person__entry_ban_until"]),
                "protection_status": row["person__protection_status"],
                "grounds_on": date(row["person__grounds_on"]),
                "reflection_until": date(row["person__reflection_until"]),
            },
            "region": row["region"],
            "sector": row["sector"],
            "identified_via": row["identified_via"],
            "entry_date": date(row["entry_date"]),
            "border_crossing_point": row["border_crossing_point"],
            "stay_basis": row["stay_basis"],
            "permit_valid_until": date(row["permit_valid_until"]),
            "legal_stay_until": date(row["legal_stay_until"]),
            "overstay_days": overstay_days(row["legal_stay_until"], today=today),
            "recruitment_debt_amount": None if debt is None else _DEBT.to_representation(debt),
            "recruitment_debt_currency": row["recruitment_debt_currency"],
            "recruitment_debt_creditor": row["recruitment_debt_creditor"],
            "risk_level": row["risk_level"],
            "victim_status": row["victim_status"],
            "protection_status": row["person__protection_status"],
            "reflection_until": date(row["person__reflection_until"]),
            "identified_on": date(row["identified_on"]),
            "has_withheld_documents": row["has_withheld_documents"],
            "assigned_to": row["assigned_to"],
            "organization": row["organization"],
            "outcome": row["outcome"],
            "closed_at": when(row["closed_at"]),
            "version": row["version"],
            "created_at": when(row["created_at"]),
        }


_DATE, _DATETIME = serializers.DateField(), serializers.DateTimeField()
_DEBT = serializers.DecimalField(max_digits=14, decimal_places=2)

# The values the list shows, the case's and its person's (CaseSerializer.to_representation):
# not the person's four search hashes (256 bytes a row), nor who created the case or when it
# was anonymised. `overstay_days` is computed from `legal_stay_until`.
CASE_LIST_VALUES = [
    *(
        f
        for f in CaseSerializer.Meta.fields
        if f not in {"person", "overstay_days", "protection_status", "reflection_until"}
    ),
    *(f"person__{f}" for f in PersonSerializer.Meta.fields),
]


class CaseDetailSerializer(CaseFieldsSerializer):
    """A case with its documents and employment."""

    documents = DocumentSerializer(many=True, read_only=True)
    employments = EmploymentSerializer(many=True, read_only=True)
    stays = StaySerializer(many=True, read_only=True)
    stay_rule = serializers.SerializerMethodField()
    identifications = serializers.SerializerMethodField()

    class Meta(CaseFieldsSerializer.Meta):
        fields = [
            *CaseFieldsSerializer.Meta.fields,
            "stays",
            "stay_rule",
            "documents",
            "employments",
            "identifications",
        ]
        read_only_fields = fields

    def get_identifications(self, case) -> list[dict]:
        """The formal identifications of the case's person (issue 16; /api/v1/identifications/)."""
        from apps.protection.api import IdentificationSerializer
        from apps.protection.models import Identification

        records = Identification.objects.filter(person_id=case.person_id)
        return IdentificationSerializer(records, many=True, context=self.context).data

    def get_stay_rule(self, case) -> dict | None:
        """The rule that gave `legal_stay_until` and the cap that decided it."""
        from .services import case_stay_assessment
        from .stay import translated_rule_text

        found = case_stay_assessment(case)
        if found.rule is None:
            return None
        return {
            "name": translated_rule_text(found.rule.name),
            "source": translated_rule_text(found.rule.source),
            "reason": found.reason,
            "days_counted": found.days_counted,
            "registration_until": _DATE.to_representation(found.registration_until)
            if found.registration_until
            else None,
        }


class DuplicateCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    confidence = serializers.FloatField(read_only=True, allow_null=True)


class DuplicatesSerializer(serializers.Serializer):
    """Possible duplicates (apps/cases/matching.py): the visible cases with their match score,
    whether a match exists in another organisation (nothing more of it), the best score in
    [0, 1], and whether that reaches the "same person" threshold."""

    cases = DuplicateCaseSerializer(many=True, read_only=True)
    elsewhere = serializers.BooleanField(read_only=True)
    confidence = serializers.FloatField(read_only=True, allow_null=True)
    same_person = serializers.BooleanField(read_only=True)


def _duplicates_data(duplicates) -> dict:
    return {
        "cases": [
            {"id": c.pk, "reference": c.reference, "confidence": duplicates.scores.get(c.pk)}
            for c in duplicates.visible
        ],
        "elsewhere": duplicates.elsewhere,
        "confidence": duplicates.confidence,
        "same_person": duplicates.same_person,
    }


class AssigneeField(serializers.PrimaryKeyRelatedField):
    """The id of the user a case is assigned to: one of its organisation's active caseworkers
    and inspectors. Any other id (another organisation's user, a missing one, not an id at all)
    gets the same message, so that the answer tells nothing of which users exist."""

    default_error_messages = {
        "does_not_exist": services.ASSIGNEE_ERROR,
        "incorrect_type": services.ASSIGNEE_ERROR,
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=User.objects.all(), **kwargs)

    def get_queryset(self):
        case = getattr(self.parent, "instance", None)
        request = self.context.get("request")
        organization_id = (
            case.organization_id
            if isinstance(case, Case)
            else getattr(getattr(request, "user", None), "organization_id", None)
        )
        return services.assignable_users(organization_id=organization_id)


class CaseCreateSerializer(serializers.ModelSerializer):
    person = PersonSerializer()
    assigned_to = AssigneeField(required=False, allow_null=True)
    documents = DocumentSerializer(many=True, required=False)
    recruitment_debt_currency = UpperCaseCharField(
        max_length=3, required=False, allow_blank=True, validators=[validate_currency]
    )
    employment = EmploymentSerializer(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000)

    class Meta:
        model = Case
        fields = [
            "person",
            "region",
            "sector",
            "identified_via",
            "entry_date",
            "border_crossing_point",
            "stay_basis",
            "permit_valid_until",
            "recruitment_debt_amount",
            "recruitment_debt_currency",
            "recruitment_debt_creditor",
            "assigned_to",
            "documents",
            "employment",
            "note",
        ]


class CaseUpdateSerializer(serializers.ModelSerializer):
    person = PersonSerializer(required=False)
    stays = StaySerializer(many=True, required=False)
    assigned_to = AssigneeField(required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1)
    recruitment_debt_currency = UpperCaseCharField(
        max_length=3, required=False, allow_blank=True, validators=[validate_currency]
    )

    class Meta:
        model = Case
        fields = [
            "person",
            "region",
            "sector",
            "identified_via",
            "entry_date",
            "border_crossing_point",
            "stay_basis",
            "permit_valid_until",
            "recruitment_debt_amount",
            "recruitment_debt_currency",
            "recruitment_debt_creditor",
            "assigned_to",
            "stays",
            "version",
        ]

    def validate(self, attrs):
        if "victim_status" in self.initial_data:
            raise serializers.ValidationError(
                {
                    "victim_status": [
                        _(
                            "The victim status follows the person's protection status: record "
                            "reasonable grounds, or a competent authority's formal "
                            "identification, instead."
                        )
                    ]
                }
            )
        # A partial update still names the version it started from (api.md: stale_version).
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        return attrs


class CloseSerializer(VersionSerializer):
    outcome = serializers.CharField(max_length=5000, label=_("outcome"))


class ReopenSerializer(VersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True, default=None)
    text = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "kind", "actor", "text", "data"]

    def get_text(self, event) -> str:
        return timeline.describe(event)


class PersonLinkSerializer(serializers.ModelSerializer):
    """A link or merge; its reason and author only where linking.reason_visible_to allows."""

    created_by = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    def _shown(self, link) -> bool:
        from .linking import reason_visible_to

        request = self.context.get("request")
        return request is not None and reason_visible_to(request.user, link)

    def get_created_by(self, link) -> str | None:
        return link.created_by.get_username() if self._shown(link) else None

    def get_reason(self, link) -> str | None:
        return link.reason if self._shown(link) else None

    class Meta:
        model = PersonLink
        fields = ["id", "kind", "reason", "created_by", "created_at", "undone_at"]
        read_only_fields = fields


class PersonLinkCreateSerializer(serializers.Serializer):
    other_case = serializers.IntegerField(min_value=1, max_value=2**62)
    kind = serializers.ChoiceField(choices=PersonLink.Kind.choices, default=PersonLink.Kind.LINK)
    reason = serializers.CharField(max_length=5000, allow_blank=True, default="")


class PersonLinkViewSet(viewsets.GenericViewSet):
    """Undo a link or a merge of person records (docs/identity.md)."""

    serializer_class = PersonLinkSerializer
    permission_classes = [IsAuthenticated, AuditorReadOnly]

    def get_queryset(self):
        return PersonLink.objects.none()

    @extend_schema(request=None, responses=PersonLinkSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        from .linking import person_link_undo

        link = PersonLink.objects.filter(pk=pk if str(pk).isdigit() else 0).first()
        visible = selectors.case_list_for_user(request.user)
        if (
            link is None
            or not visible.filter(
                Q(person_id__in=[link.person_id, link.other_id]) | Q(pk__in=link.moved_cases or [])
            ).exists()
        ):
            raise NotFound(_("Not found."))
        link = person_link_undo(actor=request.user, link=link)
        return Response(PersonLinkSerializer(link, context={"request": request}).data)


class DuplicateCheckSerializer(serializers.Serializer):
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    citizenship = UpperCaseCharField(
        required=False, allow_blank=True, max_length=2, validators=[validate_country]
    )
    document_numbers = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=20
    )


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    region = django_filters.ChoiceFilter(choices=Region.choices)
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices)
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    victim_status = django_filters.ChoiceFilter(choices=VictimStatus.choices)
    citizenship = django_filters.CharFilter(method="filter_selector")
    assigned_to = django_filters.NumberFilter(field_name="assigned_to_id")
    overstay = django_filters.BooleanFilter(method="filter_selector")
    q = django_filters.CharFilter(method="filter_selector", max_length=200)

    class Meta:
        model = Case
        fields: list[str] = []

    def get_form_class(self):
        # The filters never change: their form class is built once, not on every request
        # (with its nine fields and their choices, 0.6 ms of a list request).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_selector(self, queryset, name, value):
        if name == "citizenship":
            value = value.upper()
        return selectors.case_filter(queryset, {name: value}, user=self.request.user)


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may see; caseworkers and inspectors open and follow them."""

    permission_classes = [RolePermission]
    read_roles = READ_ROLES
    write_roles = WRITE_ROLES
    filterset_class = CaseFilter
    pagination_class = BoundedCountPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.case_list_for_user(self.request.user).select_related(None)

    def get_throttles(self):
        # Searches (`?q=`) and duplicate checks per user (apps.core.throttling): 429.
        if self.action == "list":
            return [SearchRateThrottle()]
        if self.action == "duplicates":
            return [DuplicateCheckRateThrottle()]
        return super().get_throttles()

    def page_rows(self, page):
        # A page of the list (`page`, the sliced list) is read by its ids first, then as rows
        # of the shown values, the person's joined: no Case and Person built per row; the
        # organisation and the assignee are shown by id. The count reads the cases alone
        # (BoundedCountPagination). Other pages (timeline, notes, documents) are read as they
        # are.
        if self.action != "list":
            return page
        return selectors.case_list_page(page).values(*CASE_LIST_VALUES)

    def get_serializer_class(self):
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "partial_update":
            return CaseUpdateSerializer
        if self.action == "retrieve":
            return CaseDetailSerializer
        return CaseSerializer

    def _case(self, pk) -> Case:
        return selectors.case_get_for_user(self.request.user, case_id=pk)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", [])]
        # The filters as given (the filter set has validated them: choices and ids), the
        # search only as a keyed hash (selectors.case_list_audit).
        filters = {name: request.query_params.get(name) for name in CaseFilter.base_filters}
        selectors.case_list_audit(
            request.user, ids=ids, count=response.data.get("count", len(ids)), filters=filters
        )
        return response

    def retrieve(self, request, pk=None):
        case = self._case(pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
        description="Opens a case. The answer adds `possible_duplicates`.",
    )
    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = data.pop("person")
        employment = data.pop("employment", None)
        case = services.case_open(
            actor=request.user,
            person=person,
            documents=data.pop("documents", None),
            employment=employment or None,
            **data,
        )
        duplicates = selectors.case_duplicate_check(
            request.user,
            sex=case.person.sex,
            given_name=case.person.given_name,
            family_name=case.person.family_name,
            date_of_birth=case.person.date_of_birth,
            citizenship=case.person.citizenship,
            document_numbers=list(case.documents.values_list("number", flat=True)),
            exclude_case_id=case.pk,
        )
        case = selectors.case_get_for_user(request.user, case_id=case.pk, audit=False)
        body = CaseDetailSerializer(case, context=self.get_serializer_context()).data
        body["possible_duplicates"] = _duplicates_data(duplicates)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, pk=None):
        case = self._case(pk)
        serializer = CaseUpdateSerializer(
            case, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if "person" in data:
            data["person"] = dict(data["person"])
        if "stays" in data:
            data["stays"] = [dict(stay) for stay in data["stays"]]
        services.case_update(case=case, actor=request.user, version=version, data=data)
        case = selectors.case_get_for_user(request.user, case_id=case.pk, audit=False)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CloseSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the case with its outcome; 409 case_close_refused lists what is missing."""
        case = self._case(pk)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_close(case=case, actor=request.user, **serializer.validated_data)
        case = selectors.case_get_for_user(request.user, case_id=case.pk, audit=False)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=ReopenSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed case (recorded on the timeline)."""
        case = self._case(pk)
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_reopen(case=case, actor=request.user, **serializer.validated_data)
        case = selectors.case_get_for_user(request.user, case_id=case.pk, audit=False)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=PersonLinkCreateSerializer, responses=PersonLinkSerializer)
    @action(detail=True, methods=["get", "post"], url_path="same-person")
    def same_person(self, request, pk=None):
        """GET: the active links and merges of the case's person (other organisations' cases
        are counted, never named). POST {other_case, kind: link|merge, reason}: record another
        case as the same person; caseworkers link their own organisation's cases,
        administrators link or merge any (a merge moves this person's cases to the other's
        record; undo with POST /api/v1/person-links/{id}/undo/)."""
        from .linking import LINK_ROLES, person_link, person_merge
        from .linking_panel import links_of

        case = self._case(pk)
        if request.method == "GET":
            return Response(
                PersonLinkSerializer(links_of(case), many=True, context={"request": request}).data
            )
        if request.user.role not in LINK_ROLES:
            raise PermissionDenied()
        serializer = PersonLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        other = selectors.case_list_for_user(request.user).filter(pk=data["other_case"]).first()
        if other is None:
            raise ValidationError({"other_case": [_("No such case.")]})
        service = person_merge if data["kind"] == "merge" else person_link
        link = service(actor=request.user, case=case, other=other, reason=data["reason"])
        return Response(
            PersonLinkSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DuplicateCheckSerializer, responses=DuplicatesSerializer)
    @action(detail=False, methods=["post"])
    def duplicates(self, request):
        """Possible duplicates of a person before opening a case (content only where visible)."""
        serializer = DuplicateCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicates = selectors.case_duplicate_check(request.user, **serializer.validated_data)
        return Response(_duplicates_data(duplicates))

    def _paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def _list_or_add(self, request, pk, serializer_class, *, listing, add):
        """GET: the case's records of one kind, paginated; POST: add one through `add`."""
        case = self._case(pk)
        if request.method == "POST":
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            record = add(case=case, actor=request.user, data=dict(serializer.validated_data))
            return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)
        return self._paginated(listing(case), serializer_class)

    def _update(self, request, record, serializer_class, *, update, **record_argument):
        """PATCH one record of the case, refusing a stale `version`."""
        serializer = serializer_class(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = VersionSerializer(data=request.data)
        version.is_valid(raise_exception=True)
        record = update(
            actor=request.user,
            version=version.validated_data["version"],
            data=dict(serializer.validated_data),
            **record_argument,
        )
        return Response(serializer_class(record).data)

    @extend_schema(request=DocumentSerializer, responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def documents(self, request, pk=None):
        """The case's identity documents; POST records one."""
        return self._list_or_add(
            request, pk, DocumentSerializer,
            listing=selectors.case_documents, add=services.identity_document_add,
        )  # fmt: skip

    @extend_schema(request=DocumentSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["patch"], url_path=r"documents/(?P<document_id>\d+)")
    def document_update(self, request, pk=None, document_id=None):
        """Change a document (for example who holds it now); send its `version`."""
        document = selectors.case_document_for_user(
            request.user, case_id=pk, document_id=document_id
        )
        return self._update(
            request, document, DocumentSerializer,
            update=services.identity_document_update, document=document,
        )  # fmt: skip

    @extend_schema(request=EmploymentSerializer, responses=EmploymentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def employment(self, request, pk=None):
        """The case's employment records; POST records one."""
        return self._list_or_add(
            request, pk, EmploymentSerializer,
            listing=selectors.case_employments, add=services.employment_add,
        )  # fmt: skip

    @extend_schema(request=EmploymentSerializer, responses=EmploymentSerializer)
    @action(detail=True, methods=["patch"], url_path=r"employment/(?P<employment_id>\d+)")
    def employment_update(self, request, pk=None, employment_id=None):
        """Change an employment record; send its `version`."""
        job = selectors.case_employment_for_user(
            request.user, case_id=pk, employment_id=employment_id
        )
        return self._update(
            request, job, EmploymentSerializer, update=services.employment_update, employment=job
        )

    @extend_schema(request=NoteSerializer, responses=NoteSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        """The case's notes, newest first; POST adds one."""
        case = self._case(pk)
        if request.method == "POST":
            serializer = NoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = services.case_note_add(
                case=case, actor=request.user, text=serializer.validated_data["text"]
            )
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        return self._paginated(selectors.case_notes(case), NoteSerializer)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """Every event on the case, newest first, as sentences in the request's language."""
        case = self._case(pk)
        return self._paginated(selectors.case_events(case), EventSerializer)
