"""The screening API of api.md: the indicator catalogue and screenings (thin: services decide)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.cases.selectors import case_list_for_user
from apps.core.api import AuditorReadOnly, Pagination, RolePermission, VersionSerializer

from . import selectors, services
from .catalogue import (
    STRENGTHS,
    TEXT_LANGUAGES,
    CatalogueError,
    available_versions,
    get_catalogue,
)
from .languages import INTERVIEW_LANGUAGES, UNKNOWN_LANGUAGE
from .models import Screening
from .selectors import UNREADABLE_RESULT


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    dimension = serializers.CharField()
    dimension_name = serializers.CharField()
    strength = serializers.CharField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    core = serializers.BooleanField()
    text = serializers.CharField()
    question = serializers.CharField()
    question_language = serializers.CharField(
        help_text="the language `question` is in: `language` when the catalogue has the text, "
        "else ru for uz/tg/ky (interpreters work from Russian) or en"
    )
    catalogue_version = serializers.CharField()
    lists = serializers.ListField(
        child=serializers.CharField(),
        help_text="the lists that ask the indicator (empty in catalogue version 1)",
    )


class IndicatorList(generics.GenericAPIView):
    """The screening catalogue, with texts in the request's language."""

    serializer_class = IndicatorSerializer
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("version", str, description="a catalogue version (default: current)"),
            OpenApiParameter("list", str, description="one indicator list (catalogue version 2)"),
            OpenApiParameter("dimension", str, description="one dimension"),
            OpenApiParameter("strength", str, enum=list(STRENGTHS)),
            OpenApiParameter(
                "language",
                str,
                enum=list(TEXT_LANGUAGES),
                description="the language of `question`, read to the person (default: the "
                "request's language); uz, tg and ky are interview languages of catalogue "
                "version 2. Names and meanings stay in the request's language.",
            ),
        ]
    )
    def get(self, request):
        version = request.query_params.get("version") or None
        try:
            catalogue = get_catalogue(version)
        except CatalogueError:
            raise ValidationError(
                {
                    "version": [
                        _("Unknown catalogue version; available: %(versions)s.")
                        % {"versions": ", ".join(available_versions())}
                    ]
                }
            ) from None
        indicator_list = request.query_params.get("list") or None
        if indicator_list is not None and indicator_list not in catalogue.lists_by_code:
            raise ValidationError(
                {
                    "list": [
                        _("Unknown list; available: %(lists)s.")
                        % {"lists": ", ".join(catalogue.lists_by_code) or "—"}
                    ]
                }
            )
        language = request.query_params.get("language") or None
        if language is not None and not catalogue.has_language(language):
            raise ValidationError(
                {
                    "language": [
                        _("Unknown language; available: %(languages)s.")
                        % {"languages": ", ".join(catalogue.languages)}
                    ]
                }
            )
        indicators = list(catalogue.indicators_for(indicator_list))
        dimension = request.query_params.get("dimension")
        if dimension:
            if dimension not in catalogue.dimensions_by_code:
                raise ValidationError({"dimension": [_("Unknown dimension.")]})
            indicators = [i for i in indicators if i.dimension == dimension]
        strength = request.query_params.get("strength")
        if strength:
            if strength not in STRENGTHS:
                raise ValidationError({"strength": [_("Use strong, medium or weak.")]})
            indicators = [i for i in indicators if i.strength_in(indicator_list) == strength]
        rows = []
        for i in indicators:
            question, question_language = i.question_for(language)
            rows.append(
                {
                    "code": i.code,
                    "dimension": i.dimension,
                    "dimension_name": catalogue.dimension_name(i.dimension),
                    # The strength in the list asked for (its own strength without one).
                    "strength": i.strength_in(indicator_list),
                    "role": i.role,
                    "core": i.core,
                    "text": i.text_in(),
                    "question": question,
                    "question_language": question_language,
                    "catalogue_version": catalogue.version,
                    "lists": [lst.code for lst in catalogue.lists if i.in_list(lst.code)],
                }
            )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def result_for_api(screening: Screening) -> dict | None:
    """api.md's `result` of a complete screening, with the reasons in the active language.

    A stored result the engine cannot read answers `{"unreadable": true, "detail": ...}`
    rather than failing the whole list.
    """
    if not screening.is_complete:
        return None
    stored = selectors.stored_result(screening)
    if stored is None:
        return {"unreadable": True, "detail": str(UNREADABLE_RESULT)}
    data = stored.result.to_dict()
    data["reasons"] = stored.reasons
    return data


# The enum sits inside allOf so drf-spectacular does not name it "LanguageEnum", which would
# collide with the users' `language` (en, ru, kk) and fail the schema check.
@extend_schema_field(
    {"type": "string", "allOf": [{"enum": ["", *(code for code, _n in INTERVIEW_LANGUAGES)]}]}
)
class InterviewLanguageField(serializers.ChoiceField):
    """The language the interview was held in: ISO 639-1 code from the regional list."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[code for code, _name in INTERVIEW_LANGUAGES],
            allow_blank=True,
            error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
            **kwargs,
        )


class ScreeningSerializer(serializers.ModelSerializer):
    # A plain string in the schema: "status" enums of several models would collide in the docs.
    status = serializers.CharField(read_only=True, help_text="draft or complete")
    debt = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    screened_by = serializers.SerializerMethodField()
    interview_language = InterviewLanguageField(read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "case",
            "status",
            "answers",
            "debt",
            "interview_language",
            "interpreter_used",
            "consent_given",
            "catalogue_version",
            "indicator_list",
            "result",
            "completed_at",
            "screened_by",
            "inspector_certified",
            "version",
            "created_at",
        ]
        read_only_fields = ["catalogue_version", "indicator_list"]

    def get_debt(self, obj) -> dict:
        return {
            "amount": None if obj.debt_amount is None else f"{obj.debt_amount:.2f}",
            "currency": obj.debt_currency,
            "creditor": obj.debt_creditor,
        }

    def get_result(self, obj) -> dict | None:
        return result_for_api(obj)

    def get_screened_by(self, obj) -> dict:
        user = obj.screened_by
        return {"id": user.pk, "username": user.username, "name": user.get_full_name()}


class ScreeningInputSerializer(serializers.Serializer):
    """Shapes only; the catalogue and the service check the content."""

    case = serializers.IntegerField()
    answers = serializers.JSONField(required=False, default=dict)
    debt = serializers.JSONField(required=False, allow_null=True, default=None)
    interview_language = InterviewLanguageField(required=False, default="")
    interpreter_used = serializers.BooleanField(required=False, default=False)
    consent_given = serializers.BooleanField(required=False, default=False)
    status = serializers.CharField(
        required=False, default=Screening.Status.COMPLETE, help_text="draft or complete"
    )

    def validate_status(self, value: str) -> str:
        if value not in Screening.Status.values:
            raise serializers.ValidationError(_("Use draft or complete."))
        return value


class ScreeningUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answers = serializers.JSONField(required=False)
    debt = serializers.JSONField(required=False, allow_null=True)
    interview_language = InterviewLanguageField(required=False)
    interpreter_used = serializers.BooleanField(required=False)
    consent_given = serializers.BooleanField(required=False)


class ScreeningFilter(django_filters.FilterSet):
    status = django_filters.CharFilter(help_text="draft or complete")

    class Meta:
        model = Screening
        fields = ["case", "status", "trafficking", "catalogue_version"]


class ScreeningViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Screenings of the cases the user may see; inspectors and caseworkers record them."""

    serializer_class = ScreeningSerializer
    filterset_class = ScreeningFilter
    permission_classes = [RolePermission, AuditorReadOnly]
    write_roles = sorted(services.SCREENING_ROLES)

    def get_queryset(self):
        return selectors.screening_list_for_user(self.request.user)

    def get_object(self):
        return selectors.screening_get_for_user(self.request.user, screening_id=self.kwargs["pk"])

    @extend_schema(request=ScreeningInputSerializer, responses=ScreeningSerializer)
    def create(self, request):
        data = ScreeningInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # A case the user may not see answers exactly like one that does not exist.
        case = case_list_for_user(request.user).filter(pk=values["case"]).first()
        if case is None:
            raise ValidationError({"case": [_("No such case.")]})
        screening = services.screening_create(
            actor=request.user,
            case=case,
            answers=values["answers"],
            debt=values["debt"],
            interview_language=values["interview_language"],
            interpreter_used=values["interpreter_used"],
            consent_given=values["consent_given"],
            complete=values["status"] == Screening.Status.COMPLETE,
        )
        return Response(self.get_serializer(screening).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScreeningUpdateSerializer, responses=ScreeningSerializer)
    def partial_update(self, request, pk=None):
        screening = self.get_object()
        data = ScreeningUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        screening = services.screening_update_draft(
            actor=request.user,
            screening=screening,
            version=values["version"],
            answers=values.get("answers"),
            debt=values.get("debt", {}) if "debt" in values else None,
            interview_language=values.get("interview_language"),
            interpreter_used=values.get("interpreter_used"),
            consent_given=values.get("consent_given"),
        )
        return Response(self.get_serializer(screening).data)

    @extend_schema(request=VersionSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        screening = self.get_object()
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        screening = services.screening_complete(
            actor=request.user, screening=screening, version=data.validated_data.get("version")
        )
        return Response(self.get_serializer(screening).data)
