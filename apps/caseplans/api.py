"""The case plan in the API (docs/caseplans.md): one plan per case, addressed by the case's id."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.core.api import RolePermission

from . import selectors, services
from .models import Action, CasePlan, Goal, Need, NeedArea, NeedLevel


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "description", "responsible", "due_on", "done_on", "done_by"]


class GoalSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id", "area", "description", "responsible", "due_on", "review_on", "status",
            "actions", "created_at",
        ]  # fmt: skip


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = ["area", "level", "notes"]


class CasePlanSerializer(serializers.ModelSerializer):
    needs = NeedSerializer(many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = CasePlan
        fields = [
            "id", "case", "status", "version", "needs", "goals", "created_at", "updated_at",
            "completed_at", "completed_by",
        ]  # fmt: skip


class PlanVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, label=_("version"))


class NeedInputSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=NeedArea.choices)
    level = serializers.ChoiceField(choices=NeedLevel.choices)
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )


class AssessmentSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    needs = NeedInputSerializer(many=True, allow_empty=False)

    def validate_needs(self, value):
        areas = [n["area"] for n in value]
        if len(set(areas)) != len(areas):
            raise serializers.ValidationError(_("Assess each area once."))
        return value


class GoalInputSerializer(PlanVersionSerializer):
    area = serializers.ChoiceField(choices=NeedArea.choices)
    description = serializers.CharField(trim_whitespace=False)
    due_on = serializers.DateField()
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    responsible = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1
    )
    actions = serializers.ListField(
        child=serializers.CharField(trim_whitespace=False), required=False, default=list
    )


class GoalStatusSerializer(PlanVersionSerializer):
    status = serializers.ChoiceField(choices=Goal.Status.choices)


class ActionInputSerializer(PlanVersionSerializer):
    description = serializers.CharField(trim_whitespace=False)
    due_on = serializers.DateField()
    responsible = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1
    )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("status", str, enum=CasePlan.Status.values)]),
)
class CasePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Case plans (docs/caseplans.md): needs assessment, goals and actions; `{case}` is the case id."""

    serializer_class = CasePlanSerializer
    permission_classes = [RolePermission]
    read_roles = ["administrator", "auditor", "caseworker", "inspector"]
    write_roles = ["administrator", "caseworker", "inspector"]
    lookup_field = "case"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        status = self.request.query_params.get("status") or None
        if status is not None and status not in CasePlan.Status.values:
            raise serializers.ValidationError({"status": [_("Choose draft or completed.")]})
        return selectors.caseplan_list_for_user(self.request.user, status=status).prefetch_related(
            "needs", "goals__actions"
        )

    def _case_and_plan(self, *, audit: bool):
        return selectors.caseplan_get_for_user(
            self.request.user, case_id=self.kwargs["case"], audit=audit
        )

    def _answer(self, case):
        plan = selectors.caseplan_for_case(case)
        return Response(CasePlanSerializer(plan, context=self.get_serializer_context()).data)

    def retrieve(self, request, *args, **kwargs):
        case, plan = self._case_and_plan(audit=True)
        if plan is None:
            raise NotFound(_("This case has no plan yet."))
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=AssessmentSerializer, responses=CasePlanSerializer)
    def update(self, request, *args, **kwargs):
        """Record the needs assessment; the first one creates the plan (no version then)."""
        case, plan = self._case_and_plan(audit=False)
        data = self._valid(AssessmentSerializer)
        if plan is not None and "version" not in data:
            raise serializers.ValidationError(
                {"version": [_("Send the version of the record you changed.")]}
            )
        services.caseplan_assess(
            actor=request.user,
            case=case,
            version=data.get("version"),
            needs={n["area"]: {"level": n["level"], "notes": n["notes"]} for n in data["needs"]},
        )
        return self._answer(case)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=GoalInputSerializer, responses=CasePlanSerializer)
    @action(detail=True, methods=["post"], url_path="goals")
    def goals(self, request, *args, **kwargs):
        case, _plan = self._case_and_plan(audit=False)
        data = dict(self._valid(GoalInputSerializer))
        services.caseplan_goal_add(actor=request.user, case=case, **data)
        return self._answer(case)

    @extend_schema(request=GoalStatusSerializer, responses=CasePlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"goals/(?P<goal_id>\d+)/status")
    def goal_status(self, request, *args, goal_id=None, **kwargs):
        case, _plan = self._case_and_plan(audit=False)
        data = self._valid(GoalStatusSerializer)
        services.caseplan_goal_set_status(
            actor=request.user, case=case, version=data["version"], goal_id=int(goal_id),
            status=data["status"],
        )  # fmt: skip
        return self._answer(case)

    @extend_schema(request=ActionInputSerializer, responses=CasePlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"goals/(?P<goal_id>\d+)/actions")
    def goal_actions(self, request, *args, goal_id=None, **kwargs):
        case, _plan = self._case_and_plan(audit=False)
        data = dict(self._valid(ActionInputSerializer))
        services.caseplan_action_add(actor=request.user, case=case, goal_id=int(goal_id), **data)
        return self._answer(case)

    @extend_schema(request=PlanVersionSerializer, responses=CasePlanSerializer)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_id>\d+)/done")
    def action_done(self, request, *args, action_id=None, **kwargs):
        case, _plan = self._case_and_plan(audit=False)
        data = self._valid(PlanVersionSerializer)
        services.caseplan_action_done(
            actor=request.user, case=case, version=data["version"], action_id=int(action_id)
        )
        return self._answer(case)

    @extend_schema(request=PlanVersionSerializer, responses=CasePlanSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, *args, **kwargs):
        case, _plan = self._case_and_plan(audit=False)
        data = self._valid(PlanVersionSerializer)
        services.caseplan_complete(actor=request.user, case=case, version=data["version"])
        return self._answer(case)
