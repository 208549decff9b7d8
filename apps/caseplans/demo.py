"""Demo case plans: flagged persons' cases in NGOs get a needs assessment, goals and actions.

Written through the case-plan services by the organisation's caseworker (`time_machine`): the
assessment five days ago, or two days after the case opened if that is later, so that the
timeline reads as it would have and the plans show goals both overdue and still ahead."""

from __future__ import annotations

import datetime

import time_machine
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case

from .models import CasePlan
from .services import caseplan_action_done, caseplan_assess, caseplan_complete, caseplan_goal_add

# After the referrals demo, so that the flagged cases and their referrals exist.
SEED_AFTER = ("referrals", "protection")
FLAGGED = ("possible", "presumed", "identified")

ASSESSMENT = {
    "safety": ("need", "Afraid of the recruiter who holds the passport; no contact since."),
    "shelter": ("urgent", "Sleeping at the site's container; needs a shelter place this week."),
    "legal": ("need", "Passport withheld; registration expired. Needs a lawyer and new papers."),
    "health": ("none", ""),
    "psychosocial": ("need", "Poor sleep, worried about family debt."),
    "wages_debt": ("need", "Three months' wages unpaid; recruitment debt claimed by recruiter."),
    "family": ("none", "Speaks to family weekly."),
    "return_stay": ("not_assessed", ""),
}
GOALS = [
    ("shelter", "Place in a shelter", 3, ["Call the shelter and book a place"]),
    ("legal", "Get the passport back or a replacement document", 30,
     ["Ask the consulate for a return certificate", "Lawyer writes to the employer"]),
    ("wages_debt", "Claim the unpaid wages", 60, ["Labour inspectorate complaint"]),
    ("safety", "Safety plan agreed with the person", 7, ["Agree on safe contacts"]),
    ("psychosocial", "Regular counselling", 45, []),
]  # fmt: skip


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Plans for open flagged cases of four NGOs (once)."""
    cases = (
        Case.objects.filter(
            status=Case.Status.OPEN,
            victim_status__in=FLAGGED,
            organization__members__role="caseworker",
            organization__members__is_active=True,
            anonymised_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    # One case in each of the first four NGOs, so that each NGO's caseworker sees a plan.
    chosen, organisations = [], set()
    for case in cases:
        if case.organization_id not in organisations and len(chosen) < 4:
            chosen.append(case)
            organisations.add(case.organization_id)
    added = 0
    today = timezone.localdate()
    for n, case in enumerate(chosen):
        if CasePlan.objects.filter(case=case).exists():
            continue
        worker = (
            User.objects.filter(organization=case.organization, role="caseworker", is_active=True)
            .order_by("pk")
            .first()
        )
        # Assessed within the last days (a caseworker picking the case up from the inspectorate),
        # so that the demo shows goals both overdue and still ahead.
        day = min(
            max(
                case.created_at.date() + datetime.timedelta(days=2),
                today - datetime.timedelta(days=5),
            ),
            today,
        )
        with time_machine.travel(_at(day), tick=False):
            needs = {
                area: {"level": level, "notes": notes}
                for area, (level, notes) in ASSESSMENT.items()
            }
            if n == 0:
                needs["return_stay"] = {"level": "none", "notes": "Wants to stay and work."}
            plan = caseplan_assess(actor=worker, case=case, version=None, needs=needs)
            for area, text, days, actions in GOALS:
                plan.refresh_from_db()
                caseplan_goal_add(
                    actor=worker, case=case, version=plan.version, area=area, description=text,
                    due_on=day + datetime.timedelta(days=days), responsible=worker, actions=actions,
                )  # fmt: skip
            plan.refresh_from_db()
            if n == 0:
                first = plan.goals.order_by("due_on", "pk").first().actions.first()
                caseplan_action_done(
                    actor=worker, case=case, version=plan.version, action_id=first.pk
                )
                plan.refresh_from_db()
                caseplan_complete(actor=worker, case=case, version=plan.version)
        added += 1
    if stdout:
        stdout.write(f"  {added} case plans added")
    return {"case_plans": CasePlan.objects.count()}
