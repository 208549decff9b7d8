from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import RolePermission

from . import selectors, services


class AnnualReportView(APIView):
    """The annual report of reports.md as JSON (administrators and auditors).

    Small breakdown counts are suppressed, as in every output that can leave the organisation.
    """

    permission_classes = [RolePermission]
    read_roles = sorted(services.REPORT_ROLES)
    write_roles: list[str] = []

    @extend_schema(
        parameters=[OpenApiParameter("region", str, required=False)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, year: int):
        language = translation.get_language()
        params = services.report_validate(
            year=year, region=request.query_params.get("region"), language=language
        )
        report = selectors.report_for_user(request.user, raw=False, **params)
        services.report_export_record(user=request.user, fmt="json", **params)
        return Response(report)
