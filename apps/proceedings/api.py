from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.core.api import RolePermission

from . import selectors, services
from .models import Exploitation, Proceeding


class ProceedingSerializer(serializers.ModelSerializer):
    # Plain ids, validated by the service: a case the caller may not see gets the same answer
    # as one that does not exist.
    cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        write_only=True,
        label=_("cases"),
    )
    version = serializers.IntegerField(required=False, min_value=1, write_only=True)
    stage = serializers.CharField(read_only=True)

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "cases",
            "reference",
            "exploitation",
            "opened_on",
            "prosecuted_on",
            "convicted_on",
            "acquitted_on",
            "official_complicity",
            "stage",
            "organization",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "organization", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Only the cases the reader may see (a list computes them for its page at once).
        case_ids = self.context.get("case_ids")
        if case_ids is None:
            case_ids = selectors.proceeding_case_ids_for_user(
                self.context["request"].user, [instance]
            )
        data["cases"] = case_ids.get(instance.pk, [])
        data["version"] = instance.version
        return data


class ProceedingFilterSerializer(serializers.Serializer):
    exploitation = serializers.ChoiceField(choices=Exploitation.choices, required=False)
    official_complicity = serializers.BooleanField(required=False, allow_null=True, default=None)
    case = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("exploitation", str, enum=Exploitation.values),
            OpenApiParameter("official_complicity", bool),
            OpenApiParameter("case", int),
            OpenApiParameter("year", int, description="Year the investigation was opened."),
        ]
    )
)
class ProceedingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Criminal proceedings linked to cases (api.md, "Criminal proceedings")."""

    serializer_class = ProceedingSerializer
    permission_classes = [RolePermission]
    read_roles = ["administrator", "auditor", "caseworker", "inspector"]
    write_roles = sorted(services.WRITE_ROLES)

    def get_queryset(self):
        filters = {}
        if self.action == "list":
            params = ProceedingFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            filters = params.validated_data
        return selectors.proceeding_list_for_user(self.request.user, filters=filters)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        context = {
            **self.get_serializer_context(),
            "case_ids": selectors.proceeding_case_ids_for_user(request.user, rows),
        }
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def get_object(self):
        return selectors.proceeding_get_for_user(
            self.request.user, proceeding_id=self.kwargs["pk"], audit=self.action == "retrieve"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        proceeding = services.proceeding_create(
            user=request.user, case_ids=data.pop("cases"), **data
        )
        proceeding = selectors.proceeding_get_for_user(
            request.user, proceeding_id=proceeding.pk, audit=False
        )
        return Response(self.get_serializer(proceeding).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        proceeding = self.get_object()
        serializer = self.get_serializer(proceeding, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError(
                {"version": [_("Send the version of the record you changed.")]}
            )
        services.proceeding_update(
            user=request.user,
            proceeding=proceeding,
            version=data.pop("version"),
            case_ids=data.pop("cases", None),
            **data,
        )
        proceeding = selectors.proceeding_get_for_user(
            request.user, proceeding_id=proceeding.pk, audit=False
        )
        return Response(self.get_serializer(proceeding).data)
