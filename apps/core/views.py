from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import home as home_panels


@require_GET
@login_required
def home(request):
    """Each role lands on the page of its daily work."""
    context = {"panels": home_panels.panels_for(request)}
    return render(request, f"core/home_{request.user.role}.html", context)


@require_GET
def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
