"""The annual report's metrics (reports.md, "Metrics"), computed by the database.

Every section is a handful of aggregate queries whose number does not depend on how many rows
there are (tests/reports/test_metrics.py asserts it). A year is the calendar year, in the
project's time zone, of each event's own date.

Decisions where reports.md leaves room:

- "Latest screening in the year" is the complete screening of the case with the latest
  ``completed_at`` in the year (ties broken by id), found by a correlated subquery, which works
  the same on SQLite and PostgreSQL.
- ``presumed_victims_referred_pct``: of the presumed victims of the year, the share with a
  referral sent at most CASEMGR_REFERRAL_WITHIN_DAYS (7) days after the *flagging screening*,
  the first complete ``presumed_victim`` screening of the case in the year.
- Breakdown ages come from ``Screening.person_age``, the person's age in whole years on the day
  the screening was completed (set by the screening service; the date of birth is encrypted at
  rest, so the database cannot compute ages itself): for presumed victims the latest screening
  in the year, for identified victims the latest complete screening up to the end of the year.
  No screening, or a screening without an age, gives ``unknown``.
- A region limits case-based metrics to cases of that region, proceedings to those with at least
  one case in it, and inspectors to those of organisations in it.
- Removals use what the removals service recorded at the decision: ``screened_before_decision``
  (a complete screening at most CASEMGR_SCREENING_VALIDITY_DAYS, 30, days before) and
  ``screening_at_decision`` (the latest complete screening then; flagged means presumed or
  possible victim).
- ``ngos_receiving_referrals`` counts the distinct receiving organisations of kind ``ngo`` of
  the referrals sent in the year.
- ``median_days_to_accept`` covers referrals sent in the year and accepted: PostgreSQL computes
  ``percentile_cont(0.5)``; elsewhere (SQLite) the database sorts the durations and returns only
  the one or two middle values (an ordered slice), which gives the same median.
- ``presumed_victims_planned_pct`` (issue 19 item 7): of the presumed victims of the year
  (persons), the share whose case had a case plan (apps/caseplans) at most
  CASEMGR_CASE_PLAN_WITHIN_DAYS (7) days after the flagging screening; a plan made before the
  flag counts. ``median_days_flag_to_accepted``: over those of them with a referral accepted
  after the flagging screening, the median of the days from that screening to the first such
  acceptance (one value per person: the earliest of their cases). Both are computed from one
  row per presumed victim's case read from the database, grouped into persons in Python.
- Metrics of an app whose models are not installed are ``None`` ("no data"), never 0.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.cases.linking import person_groups
from apps.cases.models import Case as CaseModel
from apps.cases.models import Sex
from apps.proceedings.models import Exploitation, Proceeding
from apps.protection.models import Identification
from apps.referrals.models import Referral
from apps.removals.models import IdentityCheck, Removal
from apps.screening.models import Screening
from apps.training.models import Attendance, TrainingSession
from apps.training.selectors import inspectors_trained_count

SECTIONS = ("prosecution", "protection", "prevention", "partnership")
AGE_GROUPS = ("0-17", "18-25", "26-35", "36-50", "51+", "unknown")
BREAKDOWN_DIMENSIONS = ("sex", "age_group", "citizenship", "sector", "region")
BREAKDOWN_GROUPS = ("presumed_victims", "identified_victims")
FLAGGED_RESULTS = ("presumed_victim", "possible_victim")
SERVICE_TYPES = (
    "shelter",
    "legal_aid",
    "medical",
    "psychosocial",
    "interpretation",
    "return_assistance",
    "reintegration",
    "hotline",
)
TRAINING_TOPICS = ("victim_identification", "forced_labour_indicators")


def annual_metrics(*, year: int, region: str | None = None, details: bool = True) -> dict[str, Any]:
    """Every metric of reports.md for a calendar year, optionally for one region.

    Without `details`, the queries that only feed breakdowns (victims by sex, age, ...;
    referrals by service type) are left out.
    """
    period = Period(year)
    region = region or None
    return {
        "prosecution": prosecution_metrics(period=period, region=region),
        "protection": protection_metrics(period=period, region=region, breakdowns=details),
        "prevention": prevention_metrics(period=period, region=region),
        "partnership": partnership_metrics(period=period, region=region, by_type=details),
    }


def year_flat_metrics(*, year: int, region: str | None = None) -> dict[str, Any]:
    """The scalar metrics of a year (what the trend and the tier read): an earlier year costs
    a few aggregate queries; equal to flat_metrics(annual_metrics(...)) (tested)."""
    return flat_metrics(annual_metrics(year=year, region=region, details=False))


def flat_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """The sections' scalar metrics in one mapping (what the tier and the trend read)."""
    flat: dict[str, Any] = {}
    for section in SECTIONS:
        for key, value in metrics.get(section, {}).items():
            if not isinstance(value, dict):
                flat[key] = value
    return flat


class Period:
    """A calendar year as aware datetime bounds (project time zone) and date bounds."""

    def __init__(self, year: int):
        self.year = int(year)
        self.first_day = date(self.year, 1, 1)
        self.last_day = date(self.year, 12, 31)
        self.start = timezone.make_aware(datetime(self.year, 1, 1))
        self.end = timezone.make_aware(datetime(self.year + 1, 1, 1))

    def q(self, field: str) -> Q:
        """The event field falls in the year (a range, so that indexes are used)."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def q_date(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})


def pct(part: int | None, whole: int | None) -> Decimal | None:
    """part of whole in percent with one decimal; None when there is no whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- prosecution ----------------------------------------------------------------------------


def _proceedings(region: str | None) -> QuerySet:
    qs = Proceeding.objects.all()
    if region:
        # A subquery, not a join: a proceeding with several cases in the region counts once.
        in_region = Proceeding.cases.through.objects.filter(case__region=region).values(
            "proceeding_id"
        )
        qs = qs.filter(pk__in=in_region)
    return qs


def prosecution_metrics(*, period: Period, region: str | None) -> dict[str, Any]:
    """Investigations, prosecutions, convictions (split by exploitation), official complicity."""
    stages = {
        "investigations": "opened_on",
        "prosecutions": "prosecuted_on",
        "convictions": "convicted_on",
        "acquittals": "acquitted_on",
    }
    aggregates = {}
    for key, field in stages.items():
        aggregates[key] = Count("pk", filter=period.q_date(field))
        for exploitation in Exploitation.values:
            aggregates[f"{key}__{exploitation}"] = Count(
                "pk", filter=period.q_date(field) & Q(exploitation=exploitation)
            )
    aggregates["official_complicity"] = Count(
        "pk", filter=period.q_date("opened_on") & Q(official_complicity=True)
    )
    row = _proceedings(region).aggregate(**aggregates)
    result: dict[str, Any] = {key: row[key] for key in stages}
    result["official_complicity"] = row["official_complicity"]
    for key in stages:
        result[f"{key}_by_exploitation"] = {
            exploitation: row[f"{key}__{exploitation}"] for exploitation in Exploitation.values
        }
    return result


# --- protection -----------------------------------------------------------------------------


def _complete_screenings(period: Period) -> QuerySet:
    return Screening.objects.filter(period.q("completed_at"), status=Screening.Status.COMPLETE)


def _in_region(qs: QuerySet, region: str | None) -> QuerySet:
    """Records of cases in the region, as `case_id IN (the region's case ids)`: PostgreSQL
    hashes the region's ids once instead of reading every case of a join row by row."""
    if not region:
        return qs
    return qs.filter(case_id__in=CaseModel.objects.filter(region=region).values("pk"))


def _cases(region: str | None) -> QuerySet:
    qs = CaseModel.objects.all()
    return qs.filter(region=region) if region else qs


def _latest_screenings(period: Period, region: str | None) -> QuerySet:
    """Each screened case's latest complete screening in the year: the one with no later one.

    An anti-join (NOT EXISTS a later screening of the case in the year, ties broken by id)
    rather than a correlated "latest" subquery per case: PostgreSQL runs it as one hash anti
    join over the year's screenings, and each case appears exactly once.
    """
    in_year = _complete_screenings(period).order_by()
    later = in_year.filter(case=OuterRef("case")).filter(
        Q(completed_at__gt=OuterRef("completed_at"))
        | Q(completed_at=OuterRef("completed_at"), pk__gt=OuterRef("pk"))
    )
    latest = in_year.filter(~Exists(later))
    return _in_region(latest, region)


def _age_of_first(screenings: QuerySet) -> Subquery:
    """The person_age recorded by the first of `screenings` (a correlated subquery)."""
    return Subquery(screenings.values("person_age")[:1], output_field=IntegerField())


def protection_metrics(
    *, period: Period, region: str | None, breakdowns: bool = True
) -> dict[str, Any]:
    """Screening, removal and referral metrics, with breakdowns of victims."""
    result: dict[str, Any] = {}
    result.update(_screening_metrics(period, region))
    result.update(removal_metrics(period=period, region=region))
    result.update(referral_metrics(period=period, region=region))
    result.update(_plan_and_acceptance(period, region))
    if breakdowns:
        # One grouped query gives the presumed victims' breakdowns and how many were referred.
        result["breakdowns"], referred = _victim_breakdowns(period, region)
        result["presumed_victims_referred_pct"] = pct(referred, result["presumed_victims"])
    else:
        result["presumed_victims_referred_pct"] = presumed_victims_referred_pct(
            period=period, region=region, presumed_victims=result["presumed_victims"]
        )
    return result


def _screening_metrics(period: Period, region: str | None) -> dict[str, Any]:
    screenings = _complete_screenings(period)
    screenings = _in_region(screenings, region)
    flags = screenings.aggregate(
        persons_screened=Count("case", distinct=True),
        forced_labour_flags=Count("case", distinct=True, filter=Q(forced_labour=True)),
        debt_coercion_flags=Count("case", distinct=True, filter=Q(debt_coercion=True)),
    )
    presumed, possible = _flagged_persons(period, region)
    identified = _identified_persons(period, region)
    return {
        "persons_screened": flags["persons_screened"],
        "presumed_victims": presumed,
        "possible_victims": possible,
        "identified_victims": identified,
        "forced_labour_flags": flags["forced_labour_flags"],
        "debt_coercion_flags": flags["debt_coercion_flags"],
    }


def _identifications(period: Period, region: str | None) -> QuerySet:
    """Formal identifications as victims decided in the year (issue 16 item 7): a status set
    by hand, without a competent authority's record, counts for nothing."""
    records = Identification.objects.filter(
        period.q_date("decided_on"), outcome=Identification.Outcome.IDENTIFIED
    )
    return _in_region(records, region)


def _identified_persons(period: Period, region: str | None) -> int:
    """Persons, not cases or records, formally identified in the year."""
    persons = _identifications(period, region).values_list("person_id", flat=True)
    return len(set(person_groups(persons).values()))


def _flagged_persons(period: Period, region: str | None) -> tuple[int, int]:
    """Persons, not cases, whose latest screening in the year flags them (issue 15 item 6):
    the cases of one person record (a merge) and of linked records (apps.cases.linking) count
    once, as presumed when any of their cases is presumed, else as possible."""
    rows = list(
        _latest_screenings(period, region)
        .filter(trafficking__in=FLAGGED_RESULTS)
        .values_list("case__person_id", "trafficking")
    )
    group = person_groups(person for person, _result in rows)
    presumed = {group[person] for person, result in rows if result == "presumed_victim"}
    possible = {group[person] for person, result in rows if result == "possible_victim"}
    return len(presumed), len(possible - presumed)


def _with_age_group(qs: QuerySet, *, age: str) -> QuerySet:
    """Annotate `age_group` from the screening's recorded age in whole years (`age` field)."""
    return qs.annotate(
        age_group=Case(
            When(Q(**{f"{age}__isnull": True}), then=Value("unknown")),
            When(Q(**{f"{age}__lt": 18}), then=Value("0-17")),
            When(Q(**{f"{age}__lt": 26}), then=Value("18-25")),
            When(Q(**{f"{age}__lt": 36}), then=Value("26-35")),
            When(Q(**{f"{age}__lt": 51}), then=Value("36-50")),
            default=Value("51+"),
            output_field=CharField(),
        )
    )


def _breakdown(
    qs: QuerySet, *, age: str, case: str = "", flag: str | None = None
) -> tuple[dict[str, dict[str, int]], int]:
    """Counts of qs's persons by each dimension, and of those whose boolean `flag` is true
    (on any of their rows); `case` is the path to the case ("" for cases).

    One grouped query over every dimension together, with the person: its rows (one per
    person and combination that occurs) are reduced to one per person (apps.cases.linking:
    one record, or linked records, count once; issue 15 item 6) and summed per dimension here.
    """
    columns = {
        "sex": f"{case}person__sex",
        "age_group": "age_group",
        "citizenship": f"{case}person__citizenship",
        "sector": f"{case}sector",
        "region": f"{case}region",
    }
    person = f"{case}person_id"
    rows = list(
        _with_age_group(qs, age=age)
        .values(person, *columns.values(), *([flag] if flag else []))
        .annotate(n=Count("pk"))
        .order_by(person)
    )
    group = person_groups(row[person] for row in rows)
    # One row per person: the first in person order (the group's smallest record) gives the
    # dimensions; the flag holds if it holds on any of the person's rows.
    persons: dict[int, dict] = {}
    for row in rows:
        kept = persons.setdefault(group[row[person]], row)
        if flag and row[flag]:
            kept[flag] = True
    fixed = {"sex": list(Sex.values), "age_group": list(AGE_GROUPS)}
    result = {d: dict.fromkeys(fixed.get(d, []), 0) for d in BREAKDOWN_DIMENSIONS}
    flagged = 0
    for row in persons.values():
        if flag and row[flag]:
            flagged += 1
        for dimension in BREAKDOWN_DIMENSIONS:
            key = row[columns[dimension]] or "unknown"
            counts = result[dimension]
            counts[key] = counts.get(key, 0) + 1
    counts = {d: _sorted_counts(result[d], fixed=d in fixed) for d in BREAKDOWN_DIMENSIONS}
    return counts, flagged


def _sorted_counts(counts: dict[str, int], *, fixed: bool) -> dict[str, int]:
    """Fixed dimensions keep their order; the others are ordered by key, as before."""
    return counts if fixed else dict(sorted(counts.items()))


def victim_breakdowns(*, period: Period, region: str | None) -> dict[str, Any]:
    """Presumed and identified victims by sex, age group, citizenship, sector and region."""
    return _victim_breakdowns(period, region)[0]


def _victim_breakdowns(period: Period, region: str | None) -> tuple[dict[str, Any], int]:
    """The breakdowns, and the number of presumed victims referred in time."""
    last_screening = Screening.objects.filter(
        case=OuterRef("pk"),
        status=Screening.Status.COMPLETE,
        completed_at__lt=period.end,
    ).order_by("-completed_at", "-id")
    # Each formally identified person once, by the case the identification was recorded from.
    formal = _identifications(period, region).order_by("person_id", "pk")
    first_case = {}
    for person_id, case_id in formal.values_list("person_id", "case_id"):
        first_case.setdefault(person_id, case_id)
    identified = (
        _cases(region)
        .filter(pk__in=list(first_case.values()))
        .annotate(screened_age=_age_of_first(last_screening))
    )
    presumed, referred = _breakdown(
        _presumed_victims(period, region), age="person_age", case="case__", flag="referred"
    )
    identified_counts, _none = _breakdown(identified, age="screened_age")
    return {"presumed_victims": presumed, "identified_victims": identified_counts}, referred


def _presumed_victims(period: Period, region: str | None) -> QuerySet:
    """Each presumed victim's latest screening in the year (with its recorded age), annotated
    with `referred`: a referral was sent at most CASEMGR_REFERRAL_WITHIN_DAYS days after the
    flagging screening, the case's first presumed-victim screening in the year."""
    within = timedelta(days=getattr(settings, "CASEMGR_REFERRAL_WITHIN_DAYS", 7))
    flagging = (
        _complete_screenings(period)
        .filter(case=OuterRef("case"), trafficking="presumed_victim")
        # Only the time is used, so ties need no order: the index gives it without a sort.
        .order_by("completed_at")
        .values("completed_at")[:1]
    )
    referred = Referral.objects.filter(
        case=OuterRef("case"),
        sent_at__isnull=False,
        sent_at__gte=OuterRef("flag_at"),
        sent_at__lte=ExpressionWrapper(
            OuterRef("flag_at") + Value(within), output_field=DateTimeField()
        ),
    )
    return (
        _latest_screenings(period, region)
        .filter(trafficking="presumed_victim")
        .annotate(flag_at=Subquery(flagging, output_field=DateTimeField()))
        .annotate(referred=Exists(referred))
    )


def _plan_and_acceptance(period: Period, region: str | None) -> dict[str, Any]:
    """The share of presumed victims with a case plan in time, and the median days from the
    flagging screening to the first referral accepted (persons, not cases)."""
    from apps.caseplans.models import CasePlan

    within = timedelta(days=getattr(settings, "CASEMGR_CASE_PLAN_WITHIN_DAYS", 7))
    planned = CasePlan.objects.filter(
        case=OuterRef("case"),
        created_at__lte=ExpressionWrapper(
            OuterRef("flag_at") + Value(within), output_field=DateTimeField()
        ),
    )
    accepted = (
        Referral.objects.filter(
            case=OuterRef("case"), accepted_at__isnull=False, accepted_at__gte=OuterRef("flag_at")
        )
        .order_by("accepted_at")
        .values("accepted_at")[:1]
    )
    rows = list(
        _presumed_victims(period, region)
        .annotate(planned=Exists(planned))
        .annotate(accepted_at=Subquery(accepted, output_field=DateTimeField()))
        .values_list("case__person_id", "planned", "flag_at", "accepted_at")
    )
    group = person_groups(person for person, *_rest in rows)
    persons: set[int] = set()
    with_plan: set[int] = set()
    waits: dict[int, timedelta] = {}
    for person, has_plan, flag_at, accepted_at in rows:
        key = group[person]
        persons.add(key)
        if has_plan:
            with_plan.add(key)
        if flag_at is not None and accepted_at is not None:
            wait = accepted_at - flag_at
            waits[key] = min(wait, waits.get(key, wait))
    return {
        "presumed_victims_planned_pct": pct(len(with_plan), len(persons)),
        "median_days_flag_to_accepted": _median_days(list(waits.values())),
    }


def _median_days(durations: list[timedelta]) -> Decimal | None:
    if not durations:
        return None
    ordered = sorted(durations)
    middle = ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]
    median = sum(middle, timedelta()) / len(middle)
    days = Decimal(median.total_seconds()) / Decimal(86400)
    return days.quantize(Decimal("0.1"), ROUND_HALF_UP)


def presumed_victims_referred_pct(
    *, period: Period, region: str | None, presumed_victims: int
) -> Decimal | None:
    """Share of presumed victims referred within N days of the flagging screening."""
    if not presumed_victims:
        return None
    # A filtered count, not an aggregate over the Exists annotation: with subquery annotations
    # Django wraps the aggregate in an outer query that cannot see that column on PostgreSQL.
    referred = _presumed_victims(period, region).filter(referred=True)
    persons = person_groups(referred.values_list("case__person_id", flat=True))
    return pct(len(set(persons.values())), presumed_victims)


def removal_metrics(*, period: Period, region: str | None) -> dict[str, Any]:
    """Removals decided (and screened first), flagged persons removed, reflection periods."""
    # Only the year's removals are read (the join to the decision's screening then stays small).
    removals = Removal.objects.filter(period.q("decided_at") | period.q("suspended_at"))
    removals = _in_region(removals, region)
    # Decided by a decision or an override: both set the decided status and decided_at.
    decided = period.q("decided_at") & Q(
        status__in=[Removal.Status.DECIDED_REMOVE, Removal.Status.DECIDED_NO_REMOVAL]
    )
    row = removals.aggregate(
        removals_decided=Count("pk", filter=decided),
        # Recorded by the removals service: a complete screening at most 30 days before.
        removals_screened=Count("pk", filter=decided & Q(screened_before_decision=True)),
        reflection_periods=Count("pk", filter=period.q("suspended_at")),
    )
    # The latest complete screening when the decision was taken, as the service kept it: only
    # the year's decisions to remove are joined to their screening.
    # Flagged persons removed: decisions to remove a person flagged at the time (only an
    # override decides that; issue 16). A person formally found not to be a victim is not
    # flagged, whatever their earlier screening said.
    row["flagged_persons_removed"] = removals.filter(
        decided, decision=Removal.Decision.REMOVE, protected_at_decision=True
    ).count()
    overrides = removals.filter(decided, overridden=True)
    row["removal_overrides"] = overrides.count()
    row["removal_overrides_public_order"] = overrides.filter(
        override_grounds=Removal.OverrideGrounds.PUBLIC_ORDER
    ).count()
    row["removal_overrides_improper_claim"] = overrides.filter(
        override_grounds=Removal.OverrideGrounds.IMPROPER_CLAIM
    ).count()
    # Removals carried out in the year, and those of persons flagged only afterwards (reported:
    # the protection came too late for them).
    enforced = _in_region(Removal.objects.filter(period.q("enforced_at")), region)
    row["removals_enforced"] = enforced.count()
    row["enforced_then_flagged"] = enforced.filter(
        case__person__grounds_on__gt=TruncDate("enforced_at")
    ).count()
    # Protection follows the person (issue 15): removals held by a flag on the same person in
    # another case, and possible matches with a flagged person checked as someone else.
    held_elsewhere = removals.filter(period.q("suspended_at"), protection_elsewhere=True).count()
    checks = _in_region(IdentityCheck.objects.filter(period.q("checked_at")), region).count()
    return {
        "removals_decided": row["removals_decided"],
        "removals_screened": row["removals_screened"],
        "removals_screened_pct": pct(row["removals_screened"], row["removals_decided"]),
        "flagged_persons_removed": row["flagged_persons_removed"],
        "removal_overrides": row["removal_overrides"],
        "removal_overrides_public_order": row["removal_overrides_public_order"],
        "removal_overrides_improper_claim": row["removal_overrides_improper_claim"],
        "removals_enforced": row["removals_enforced"],
        "enforced_then_flagged": row["enforced_then_flagged"],
        "reflection_periods": row["reflection_periods"],
        "removals_held_elsewhere": held_elsewhere,
        "identity_checks": checks,
    }


def _referrals(region: str | None):
    qs = Referral.objects.all()
    return _in_region(qs, region)


def referral_metrics(*, period: Period, region: str | None) -> dict[str, Any]:
    """Referrals sent, accepted and completed in the year (each by its own date)."""
    in_year = period.q("sent_at") | period.q("accepted_at") | period.q("completed_at")
    return (
        _referrals(region)
        .filter(in_year)
        .aggregate(
            referrals_sent=Count("pk", filter=period.q("sent_at")),
            referrals_accepted=Count("pk", filter=period.q("accepted_at")),
            referrals_completed=Count("pk", filter=period.q("completed_at")),
        )
    )


# --- prevention -----------------------------------------------------------------------------


def prevention_metrics(*, period: Period, region: str | None) -> dict[str, Any]:
    """Inspectors active and trained at year end; training sessions, hours and participants."""
    trained, active = _inspectors(period=period, region=region)
    result: dict[str, Any] = {
        "inspectors_active": active,
        "inspectors_trained": trained,
        "inspectors_trained_pct": pct(trained, active),
    }
    result.update(training_metrics(period=period, region=region))
    return result


def _inspectors(*, period: Period, region: str | None) -> tuple[int, int]:
    """(trained, active) inspectors at the year's end, from the training log."""
    return inspectors_trained_count(at=period.last_day, region=region)


def training_metrics(*, period: Period, region: str | None) -> dict[str, Any]:
    """Sessions held in the year, their hours, and the distinct inspectors who attended.

    With a region: the sessions attended by inspectors of organisations in that region (a
    session has a free-text location, not a region) and those inspectors.
    """
    attendances = Attendance.objects.filter(period.q_date("session__date"))
    sessions = TrainingSession.objects.filter(period.q_date("date"))
    if region:
        attendances = attendances.filter(inspector__organization__region=region)
        sessions = sessions.filter(pk__in=attendances.values("session_id"))
    row = sessions.aggregate(training_sessions=Count("pk"), training_hours=Sum("hours"))
    participants = attendances.aggregate(n=Count("inspector", distinct=True))["n"]
    hours = row["training_hours"]
    return {
        "training_sessions": row["training_sessions"],
        "training_hours": hours if hours is not None else Decimal(0),
        "training_participants": participants,
    }


# --- partnership ----------------------------------------------------------------------------


def partnership_metrics(
    *, period: Period, region: str | None, by_type: bool = True
) -> dict[str, Any]:
    """NGOs receiving referrals, referrals by service type, median days sent to accepted."""
    referrals = _referrals(region)
    sent = referrals.filter(period.q("sent_at"))
    ngos = sent.aggregate(
        n=Count(
            "receiving_organization",
            distinct=True,
            filter=Q(receiving_organization__kind="ngo"),
        )
    )["n"]
    result: dict[str, Any] = {"ngos_receiving_referrals": ngos}
    if by_type:
        counts = dict.fromkeys(SERVICE_TYPES, 0)
        for row in sent.values("service__service_type").annotate(n=Count("pk")).order_by():
            counts[row["service__service_type"]] = row["n"]
        result["referrals_by_service_type"] = counts
    result["median_days_to_accept"] = median_days_to_accept(sent)
    return result


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def median_days_to_accept(sent: QuerySet) -> Decimal | None:
    """Median days from sent to accepted over the given referrals, computed in the database."""
    return median_days_between(sent, start="sent_at", end="accepted_at")


def median_days_between(qs: QuerySet, *, start: str, end: str) -> Decimal | None:
    """Median days from one datetime field to another over qs (rows with both set)."""
    accepted = qs.filter(**{f"{end}__isnull": False, f"{end}__gte": F(start)})
    waited = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    if connection.vendor == "postgresql":
        median = accepted.aggregate(m=PercentileCont(waited, output_field=DurationField()))["m"]
    else:
        # Portable fallback: the database orders the durations; only the middle one or two
        # values come back (no row-by-row work in Python).
        count = accepted.count()
        if not count:
            return None
        middle = list(
            accepted.annotate(waited=waited)
            .order_by("waited", "pk")
            .values_list("waited", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
        median = sum(middle, timedelta()) / len(middle)
    if median is None:
        return None
    days = Decimal(median.total_seconds()) / Decimal(86400)
    return days.quantize(Decimal("0.1"), ROUND_HALF_UP)
