"""The tasks and follow-ups API (/api/v1/tasks/, /api/v1/followups/); thin over the selectors
and services (docs/tasks.md)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.cases.models import Case
from apps.cases.selectors import case_list_for_user
from apps.core.api import AuditorReadOnly, BoundedCountPagination, VersionSerializer

from . import selectors, services
from .models import FollowUp, Task

DUE_CHOICES = [
    ("overdue", _("Overdue")),
    ("today", _("Due today")),
    ("week", _("Due within a week")),
    ("later", _("Due later")),
]


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class TaskSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True, default=None)
    title = serializers.CharField(source="display_title", read_only=True)
    assigned_to_name = serializers.SerializerMethodField()
    completed_by_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "case_reference",
            "organization",
            "kind",
            "title",
            "params",
            "due_on",
            "overdue",
            "assigned_to",
            "assigned_to_name",
            "status",
            "source",
            "completed_at",
            "completed_by",
            "completed_by_name",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_assigned_to_name(self, task) -> str:
        return _name(task.assigned_to)

    def get_completed_by_name(self, task) -> str:
        return _name(task.completed_by)

    def get_overdue(self, task) -> bool:
        from django.utils import timezone

        return task.is_open and task.due_on < timezone.localdate()


class TaskCreateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    assigned_to = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = case_list_for_user(request.user)


class TaskUpdateSerializer(VersionSerializer):
    status = serializers.ChoiceField(
        choices=[(Task.Status.DONE, _("Done")), (Task.Status.CANCELLED, _("Cancelled"))],
        required=False,
    )
    assigned_to = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    due_on = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200, required=False)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Task.Status.choices, method="narrow")
    kind = django_filters.ChoiceFilter(choices=Task.Kind.choices, method="narrow")
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="narrow")
    assigned_to = django_filters.CharFilter(method="narrow", max_length=20)
    case = django_filters.NumberFilter(method="narrow")

    def narrow(self, queryset, name, value):
        if name == "assigned_to" and value not in {"me", "none"} and not str(value).isdigit():
            raise serializers.ValidationError(
                {"assigned_to": [_("Give a user's id, `me` or `none`.")]}
            )
        if name in {"assigned_to", "case"} and str(value).isdigit() and int(value) >= 2**63:
            return queryset.none()
        return selectors.task_filter(queryset, {name: value}, user=self.request.user)


class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks the caller may see (scoped like their case); manual ones are added on a case,
    any is completed, cancelled or reassigned with PATCH."""

    permission_classes = [IsAuthenticated, AuditorReadOnly]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    pagination_class = BoundedCountPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.task_list_for_user(self.request.user).order_by("due_on", "id")

    def get_object(self):
        return selectors.task_get_for_user(self.request.user, task_id=self.kwargs["pk"])

    def _read(self, task, status_code=status.HTTP_200_OK):
        task = selectors.task_get_for_user(self.request.user, task_id=task.pk)
        return Response(TaskSerializer(task).data, status=status_code)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request):
        """A manual task on a case the caller may change (its title is stored encrypted)."""
        serializer = TaskCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, **serializer.validated_data)
        return self._read(task, status.HTTP_201_CREATED)

    @extend_schema(request=TaskUpdateSerializer, responses=TaskSerializer)
    def partial_update(self, request, pk=None):
        """Complete (`status: done`), cancel or reassign; 409 stale_version on an old version."""
        task = self.get_object()
        serializer = TaskUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        services.task_update(actor=request.user, task=task, version=version, data=data)
        return self._read(task)


# --- follow-ups -----------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    assigned_to_name = serializers.SerializerMethodField()
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "case",
            "case_reference",
            "kind",
            "status",
            "planned_on",
            "done_on",
            "with_whom",
            "outcome",
            "next_on",
            "next_follow_up",
            "assigned_to",
            "assigned_to_name",
            "recorded_by_name",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_assigned_to_name(self, follow_up) -> str:
        return _name(follow_up.assigned_to)

    def get_recorded_by_name(self, follow_up) -> str:
        return _name(follow_up.recorded_by)


class FollowUpCreateSerializer(serializers.Serializer):
    """Planned with `planned_on`; recorded as done at once with `done_on`."""

    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices)
    planned_on = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False)
    with_whom = serializers.CharField(max_length=200, required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    next_on = serializers.DateField(required=False, allow_null=True)
    assigned_to = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = case_list_for_user(request.user)

    def validate(self, attrs):
        if ("planned_on" in attrs) == ("done_on" in attrs):
            raise serializers.ValidationError(
                {"planned_on": [_("Give either the planned date or the date it was done.")]}
            )
        if "planned_on" in attrs and (attrs.get("outcome") or attrs.get("next_on")):
            raise serializers.ValidationError(
                {"outcome": [_("A planned follow-up has no outcome or next date yet.")]}
            )
        return attrs


class FollowUpRecordSerializer(VersionSerializer):
    done_on = serializers.DateField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    next_on = serializers.DateField(required=False, allow_null=True, default=None)


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUp.Status.choices)
    kind = django_filters.ChoiceFilter(choices=FollowUp.Kind.choices)
    case = django_filters.NumberFilter(method="filter_case")

    class Meta:
        model = FollowUp
        fields = ["status", "kind", "case"]

    def filter_case(self, queryset, name, value):
        if value >= 2**63:
            return queryset.none()
        return queryset.filter(case_id=value)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Planned and done contacts and visits on the cases the caller may see."""

    permission_classes = [IsAuthenticated, AuditorReadOnly]
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    pagination_class = BoundedCountPagination

    def get_queryset(self):
        return selectors.follow_up_list_for_user(self.request.user).order_by("-id")

    def get_object(self):
        return selectors.follow_up_get_for_user(self.request.user, follow_up_id=self.kwargs["pk"])

    def _read(self, follow_up, status_code=status.HTTP_200_OK):
        follow_up = selectors.follow_up_get_for_user(self.request.user, follow_up_id=follow_up.pk)
        return Response(FollowUpSerializer(follow_up).data, status=status_code)

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request):
        """Plan a follow-up (its task is due on the day) or record one done."""
        serializer = FollowUpCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "planned_on" in data:
            follow_up = services.follow_up_plan(actor=request.user, **data)
        else:
            follow_up = services.follow_up_record_new(actor=request.user, **data)
        return self._read(follow_up, status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpRecordSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record a planned follow-up as done; `next_on` plans the next one."""
        follow_up = self.get_object()
        serializer = FollowUpRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        follow_up = services.follow_up_record(
            actor=request.user, follow_up=follow_up, version=version, **data
        )
        return self._read(follow_up)

    @extend_schema(request=VersionSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a planned follow-up and its task."""
        follow_up = self.get_object()
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_cancel(
            actor=request.user,
            follow_up=follow_up,
            version=serializer.validated_data.get("version"),
        )
        return self._read(follow_up)
