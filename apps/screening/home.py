"""The home-page panel: the user's screenings still in draft."""

from .models import Screening


def drafts_context(request) -> dict:
    drafts = (
        Screening.objects.filter(screened_by=request.user, status=Screening.Status.DRAFT)
        .select_related("case")
        .order_by("-created_at")[:10]
    )
    return {"drafts": list(drafts)}
