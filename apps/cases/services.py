"""Writes on cases. Other apps call case_event_record and case_risk_update."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.exceptions import WorkflowError
from apps.core.outbox import outbox_enqueue
from apps.tasks.hooks import case_changed

from . import guards
from .models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseStay,
    Employment,
    IdentityDocument,
    Person,
    ReferenceCounter,
    StayBasis,
    StayRule,
)
from .stay import DEFAULT_RULES, assess, default_rules, host_country_of

PERSON_FIELDS = (
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
)
CASE_FIELDS = (
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
)
DOCUMENT_FIELDS = ("kind", "number", "issuing_country", "issued_on", "expires_on", "held_by")
EMPLOYMENT_FIELDS = (
    "employer",
    "address",
    "sector",
    "region",
    "started_on",
    "ended_on",
    "wage_period",
    "promised_wage_amount",
    "promised_wage_currency",
    "actual_wage_amount",
    "actual_wage_currency",
    "promised_hours_per_week",
    "actual_hours_per_week",
)
STAY_FIELDS = {"entry_date", "stay_basis", "permit_valid_until", "citizenship", "region", "stays"}
CASE_WRITER_ROLES = {"caseworker", "inspector"}
# The one answer to any assignee the user may not choose (api.AssigneeField, forms).
ASSIGNEE_ERROR = gettext_lazy("Assign the case to a caseworker or inspector of its organisation.")


def assignable_users(*, organization_id):
    """The users a case of the organisation may be assigned to."""
    if organization_id is None:
        return User.objects.none()
    return User.objects.filter(
        organization_id=organization_id, role__in=CASE_WRITER_ROLES, is_active=True
    )


# --- timeline -------------------------------------------------------------------------------


def case_event_record(
    *, case: Case, actor, kind: str, data: dict[str, Any] | None = None
) -> CaseEvent:
    """Add an event to the case's timeline."""
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, data=data or {})


# --- helpers --------------------------------------------------------------------------------


def can_open_case(user) -> bool:
    """Caseworkers and inspectors open cases for their own organisation."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in CASE_WRITER_ROLES
        and user.organization_id
    )


def can_change_case(user, case: Case) -> bool:
    """The owning organisation's caseworkers and inspectors, and administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "administrator":
        return True
    return user.role in CASE_WRITER_ROLES and user.organization_id == case.organization_id


def _require_change(actor, case: Case) -> None:
    if not can_change_case(actor, case):
        raise PermissionDenied(_("You may not change this case."))


def _require_open(case: Case) -> None:
    if case.status != Case.Status.OPEN:
        raise WorkflowError(
            _("The case is closed. Reopen it before changing it."), code="case_closed"
        )


def _unknown_fields(data: dict, allowed) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in unknown},
            code="unknown_field",
        )


def _str(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _full_clean(instance, *, exclude=()) -> None:
    # Validation errors of several records are collected so a form shows them all at once.
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _validate_case_facts(case: Case, person: Person) -> None:
    errors: dict[str, list[str]] = {}
    if case.entry_date and person.date_of_birth and case.entry_date < person.date_of_birth:
        errors.setdefault("entry_date", []).append(
            _("The entry date cannot be before the date of birth.")
        )
    if case.permit_valid_until and case.entry_date and case.permit_valid_until < case.entry_date:
        errors.setdefault("permit_valid_until", []).append(
            _("The permit cannot end before the entry date.")
        )
    if case.stay_basis == StayBasis.TEMPORARY_RESIDENCE_PERMIT and not case.permit_valid_until:
        errors.setdefault("permit_valid_until", []).append(
            _("Give the permit's end date for a temporary residence permit.")
        )
    if bool(person.entry_ban_country) != bool(person.entry_ban_until):
        errors.setdefault("entry_ban_until", []).append(
            _("Give both the country and the end date of a re-entry ban.")
        )
    if case.assigned_to_id is not None:
        assignee = case.assigned_to
        if (
            not assignee.is_active
            or assignee.role not in CASE_WRITER_ROLES
            or assignee.organization_id != case.organization_id
        ):
            errors.setdefault("assigned_to", []).append(str(ASSIGNEE_ERROR))
    if errors:
        raise ValidationError(errors)


def _validate_dates(record, start_field: str, end_field: str) -> None:
    start, end = getattr(record, start_field), getattr(record, end_field)
    if start and end and end < start:
        label = record._meta.get_field(start_field).verbose_name
        raise ValidationError(
            {end_field: _("This date cannot be before the %(field)s.") % {"field": label}}
        )


def active_stay_rules():
    """The active stay rules as plain values for the pure stay functions (the defaults of
    docs/cases.md while the table is empty)."""
    rules = [rule.as_rule() for rule in StayRule.objects.filter(is_active=True)]
    return rules or default_rules()


def stay_rules_seed_defaults() -> None:
    """Fill an empty stay rule table with the defaults (idempotent)."""
    if StayRule.objects.exists():
        return
    for values in DEFAULT_RULES:
        StayRule.objects.create(**{**values, "citizenships": list(values.get("citizenships", ()))})


def case_stay_assessment(case: Case, *, person: Person | None = None, rules=None, stays=None):
    """Which stay rule applies to the case, why, and the last legal day it gives (the case page
    shows it; `legal_stay_until` stores its day). `person` and `stays` (as (entered, left)
    pairs) default to the case's own; pass them for values not saved yet."""
    person = person or case.person
    if stays is None:
        stays = [] if case.pk is None else [(s.entered, s.left) for s in case.stays.all()]
    return assess(
        active_stay_rules() if rules is None else rules,
        citizenship=person.citizenship,
        entry_date=case.entry_date,
        stay_basis=case.stay_basis,
        permit_valid_until=case.permit_valid_until,
        host_country=host_country_of(case.region),
        stays=stays,
    )


def _clean_stays(value, *, entry_date: date | None) -> list[tuple[date, date]]:
    """Earlier stays as (entered, left), in order, not overlapping, before the current entry."""
    if not isinstance(value, list | tuple):
        raise ValidationError({"stays": [_("Give the earlier stays as a list.")]})
    stays = []
    for item in value:
        entered = item.get("entered") if isinstance(item, dict) else None
        left = item.get("left") if isinstance(item, dict) else None
        if not isinstance(entered, date) or not isinstance(left, date):
            raise ValidationError({"stays": [_("Give each earlier stay's entry and exit dates.")]})
        if left < entered:
            raise ValidationError({"stays": [_("A stay cannot end before it began.")]})
        if left > timezone.localdate():
            raise ValidationError({"stays": [_("An earlier stay cannot end in the future.")]})
        if entry_date and left >= entry_date:
            raise ValidationError(
                {"stays": [_("An earlier stay must end before the current entry date.")]}
            )
        stays.append((entered, left))
    stays.sort()
    for (_e1, left1), (entered2, _l2) in zip(stays, stays[1:], strict=False):
        if entered2 <= left1:
            raise ValidationError({"stays": [_("Earlier stays cannot overlap.")]})
    return stays


def _next_reference(year: int) -> str:
    """`<prefix>-<year>-<6-digit number>`, numbered per year without gaps between commits."""
    prefix = getattr(settings, "CASEMGR_REFERENCE_PREFIX", "KZ")
    counters = ReferenceCounter.objects.filter(prefix=prefix, year=year)
    while True:
        # The UPDATE takes the row's write lock first (PostgreSQL row lock, SQLite database
        # lock), so two concurrent openings never read the same number.
        while not counters.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(prefix=prefix, year=year, last=1)
                break
            except IntegrityError:
                continue  # Someone created this year's counter first: increment theirs.
        number = counters.values_list("last", flat=True).get()
        reference = f"{prefix}-{year}-{number:06d}"
        # Imported or migrated cases may already use a number: skip it rather than fail.
        if not Case.objects.filter(reference=reference).exists():
            return reference


# --- cases ----------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    person: dict[str, Any],
    region: str,
    identified_via: str,
    sector: str = "unknown",
    entry_date: date | None = None,
    border_crossing_point: str = "",
    stay_basis: str = StayBasis.UNKNOWN,
    permit_valid_until: date | None = None,
    recruitment_debt_amount: Decimal | None = None,
    recruitment_debt_currency: str = "",
    recruitment_debt_creditor: str = "",
    assigned_to=None,
    documents: list[dict[str, Any]] | None = None,
    employment: dict[str, Any] | None = None,
    note: str = "",
) -> Case:
    """Open a case for a person, owned by the actor's organisation, with its first facts."""
    if not can_open_case(actor):
        raise PermissionDenied(_("Only caseworkers and inspectors open cases."))
    _unknown_fields(person, PERSON_FIELDS)
    new_person = Person(**{name: person[name] for name in PERSON_FIELDS if name in person})
    if new_person.languages is None:
        new_person.languages = []
    case = Case(
        person=new_person,
        organization_id=actor.organization_id,
        assigned_to=assigned_to if assigned_to is not None else actor,
        region=region,
        sector=sector,
        identified_via=identified_via,
        entry_date=entry_date,
        border_crossing_point=border_crossing_point or "",
        stay_basis=stay_basis,
        permit_valid_until=permit_valid_until,
        recruitment_debt_amount=recruitment_debt_amount,
        recruitment_debt_currency=recruitment_debt_currency or "",
        recruitment_debt_creditor=recruitment_debt_creditor or "",
        created_by=actor,
        reference="pending",
    )
    docs = []
    for data in documents or []:
        _unknown_fields(data, DOCUMENT_FIELDS)
        docs.append(IdentityDocument(case=case, **data))
    job = None
    if employment:
        _unknown_fields(employment, EMPLOYMENT_FIELDS)
        job = Employment(case=case, **employment)
    errors: dict[str, list] = {}
    for record, exclude in (
        (new_person, ()),
        (case, ("person", "reference")),
        *((d, ("case",)) for d in docs),
        *(((job, ("case",)),) if job else ()),
    ):
        try:
            _full_clean(record, exclude=exclude)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not errors:
        try:
            _validate_case_facts(case, new_person)
            for doc in docs:
                _validate_dates(doc, "issued_on", "expires_on")
            if job:
                _validate_dates(job, "started_on", "ended_on")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    new_person.save()
    case.person = new_person
    case.citizenship = new_person.citizenship
    case.legal_stay_until = case_stay_assessment(case, person=new_person).until
    case.reference = _next_reference(timezone.localdate().year)
    case.save()
    case_event_record(
        case=case, actor=actor, kind="case_opened", data={"reference": case.reference}
    )
    audit_record(actor=actor, action="create", target=case, details={"reference": case.reference})
    for doc in docs:
        doc.case = case
        doc.save()
        case_event_record(
            case=case,
            actor=actor,
            kind="document_added",
            data={"document_id": doc.pk, "kind": doc.kind, "held_by": doc.held_by},
        )
    if job:
        job.case = case
        job.save()
        case_event_record(
            case=case, actor=actor, kind="employment_added", data={"employment_id": job.pk}
        )
    if note.strip():
        case_note_add(case=case, actor=actor, text=note)
    case_changed(case)
    return case


@transaction.atomic
def case_update(*, case: Case, actor, version: int | None, data: dict[str, Any]) -> Case:
    """Change the case's facts (and its person's, under `person`), refusing a stale version."""
    _require_change(actor, case)
    data = dict(data)
    person_data = dict(data.pop("person", None) or {})
    _unknown_fields(data, CASE_FIELDS)
    _unknown_fields(person_data, PERSON_FIELDS)
    case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    case.check_version(version)
    _require_open(case)
    person = case.person

    changes: dict[str, list[str]] = {}
    new_stays = None
    if "stays" in data:
        old = [(s.entered, s.left) for s in case.stays.all()]
        new_stays = _clean_stays(
            data.pop("stays"), entry_date=data.get("entry_date", case.entry_date)
        )
        if new_stays != old:
            changes["stays"] = [str(len(old)), str(len(new_stays))]
        else:
            new_stays = None
    for name, value in data.items():
        if getattr(case, name) != value:
            changes[name] = [_str(getattr(case, name)), _str(value)]
            setattr(case, name, value)
    person_changes: list[str] = []
    for name, value in person_data.items():
        if name == "languages" and value is None:
            value = []
        if getattr(person, name) != value:
            changes[name] = [_str(getattr(person, name)), _str(value)]
            person_changes.append(name)
            setattr(person, name, value)
    if not changes:
        return case

    errors: dict[str, list] = {}
    for record, exclude in ((person, ()), (case, ("person",))):
        try:
            _full_clean(record, exclude=exclude)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not errors:
        try:
            _validate_case_facts(case, person)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    fields = [name for name in data if name in changes]
    if new_stays is not None:
        case.stays.all().delete()
        CaseStay.objects.bulk_create(
            CaseStay(case=case, entered=entered, left=left) for entered, left in new_stays
        )
    if STAY_FIELDS & set(changes):
        until = case_stay_assessment(case, person=person, stays=new_stays).until
        if until != case.legal_stay_until:
            case.legal_stay_until = until
            fields.append("legal_stay_until")
    if "citizenship" in person_changes:
        # Kept on the case for the list's filter (Case.citizenship), on every case of the person.
        case.citizenship = person.citizenship
        fields.append("citizenship")
        Case.objects.filter(person=person).exclude(pk=case.pk).update(
            citizenship=person.citizenship
        )
    if person_changes:
        person.save_versioned(update_fields=person_changes)
    # The case's version moves even when only its person changed: one record for the editor.
    case.save_versioned(update_fields=fields)
    case_event_record(case=case, actor=actor, kind="case_updated", data={"changes": changes})
    audit_record(actor=actor, action="update", target=case, details={"fields": sorted(changes)})
    case_changed(case)
    return case


@transaction.atomic
def case_close(*, case: Case, actor, outcome: str, version: int | None) -> Case:
    """Close the case with its outcome, unless a registered guard refuses (409)."""
    _require_change(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_version(version)
    if case.status == Case.Status.CLOSED:
        raise WorkflowError(_("The case is already closed."), code="case_closed")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Describe the outcome before closing the case.")]})
    refusals = guards.close_refusals(case)
    if refusals:
        raise WorkflowError(
            _("The case cannot be closed yet: %(reasons)s")
            % {"reasons": " ".join(str(r) for r in refusals)},
            code="case_close_refused",
        )
    case.status = Case.Status.CLOSED
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.save_versioned(update_fields=["status", "outcome", "closed_at"])
    case_event_record(case=case, actor=actor, kind="case_closed", data={"outcome": outcome})
    audit_record(actor=actor, action="update", target=case, details={"status": "closed"})
    case_changed(case)
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor, version: int | None, reason: str = "") -> Case:
    """Reopen a closed case; the earlier outcome stays on the timeline."""
    _require_change(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_version(version)
    if case.status != Case.Status.CLOSED:
        raise WorkflowError(_("The case is not closed."), code="case_not_closed")
    previous = case.outcome
    case.status = Case.Status.OPEN
    case.outcome = ""
    case.closed_at = None
    case.save_versioned(update_fields=["status", "outcome", "closed_at"])
    case_event_record(
        case=case,
        actor=actor,
        kind="case_reopened",
        data={"reason": (reason or "").strip(), "previous_outcome": previous},
    )
    audit_record(actor=actor, action="update", target=case, details={"status": "open"})
    case_changed(case)
    return case


@transaction.atomic
def case_note_add(*, case: Case, actor, text: str) -> CaseNote:
    """Add a note to the case (closed cases too: what happens after closing matters)."""
    _require_change(actor, case)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note before saving it.")]})
    if len(text) > 20000:
        raise ValidationError({"text": [_("A note is limited to 20,000 characters.")]})
    note = CaseNote.objects.create(case=case, author=actor, text=text)
    case_event_record(case=case, actor=actor, kind="note_added", data={"note_id": note.pk})
    audit_record(actor=actor, action="create", target=note, details={"case": case.pk})
    return note


@transaction.atomic
def case_risk_update(*, case: Case, risk_level: str, actor) -> Case:
    """Apply the latest complete screening's risk level to the case. The victim status is the
    person's protection status, written only by apps.protection.services (issue 16)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.risk_level != risk_level:
        case.risk_level = risk_level
        case.save_versioned(update_fields=["risk_level"])
        audit_record(actor=actor, action="update", target=case, details={"fields": ["risk_level"]})
    return case


def case_identified_on_set(*, case: Case, on: date) -> None:
    """Record the day of formal identification (kept for the annual report)."""
    # A plain save of one column (no version bump: nobody edits this field by hand); the
    # save signal lets the annual report drop the kept metrics of that year.
    case.identified_on = on
    case.save(update_fields=["identified_on"])


# --- documents and employment ---------------------------------------------------------------


@transaction.atomic
def identity_document_add(*, case: Case, actor, data: dict[str, Any]) -> IdentityDocument:
    """Record an identity or migration document and who holds it."""
    _require_change(actor, case)
    _require_open(case)
    _unknown_fields(data, DOCUMENT_FIELDS)
    document = IdentityDocument(case=case, **data)
    _full_clean(document, exclude=("case",))
    _validate_dates(document, "issued_on", "expires_on")
    document.save()
    case_event_record(
        case=case,
        actor=actor,
        kind="document_added",
        data={"document_id": document.pk, "kind": document.kind, "held_by": document.held_by},
    )
    audit_record(actor=actor, action="create", target=document, details={"case": case.pk})
    return document


def _case_record_update(
    *, record, actor, version, data, allowed, dates: tuple[str, str], event: str, event_data
):
    """Change fields of a record hanging from a case (document, employment): lock, check the
    version, validate, save only what changed, and put the change on the timeline and in the
    audit log."""
    _require_change(actor, record.case)
    _unknown_fields(data, allowed)
    record = type(record).objects.select_for_update().get(pk=record.pk)
    record.check_version(version)
    _require_open(record.case)
    changes = {}
    for name, value in data.items():
        if getattr(record, name) != value:
            changes[name] = [_str(getattr(record, name)), _str(value)]
            setattr(record, name, value)
    if not changes:
        return record
    _full_clean(record, exclude=("case",))
    _validate_dates(record, *dates)
    record.save_versioned(update_fields=list(changes))
    case_event_record(
        case=record.case, actor=actor, kind=event, data={**event_data(record), "changes": changes}
    )
    audit_record(actor=actor, action="update", target=record, details={"fields": list(changes)})
    return record


@transaction.atomic
def identity_document_update(
    *, document: IdentityDocument, actor, version: int | None, data: dict[str, Any]
) -> IdentityDocument:
    """Change a document (for example who holds it now), refusing a stale version."""
    return _case_record_update(
        record=document, actor=actor, version=version, data=data, allowed=DOCUMENT_FIELDS,
        dates=("issued_on", "expires_on"), event="document_updated",
        event_data=lambda d: {"document_id": d.pk, "kind": d.kind},
    )  # fmt: skip


@transaction.atomic
def employment_add(*, case: Case, actor, data: dict[str, Any]) -> Employment:
    """Record an employment: employer, place, promised and actual terms."""
    _require_change(actor, case)
    _require_open(case)
    _unknown_fields(data, EMPLOYMENT_FIELDS)
    job = Employment(case=case, **data)
    _full_clean(job, exclude=("case",))
    _validate_dates(job, "started_on", "ended_on")
    job.save()
    case_event_record(
        case=case, actor=actor, kind="employment_added", data={"employment_id": job.pk}
    )
    audit_record(actor=actor, action="create", target=job, details={"case": case.pk})
    return job


@transaction.atomic
def employment_update(
    *, employment: Employment, actor, version: int | None, data: dict[str, Any]
) -> Employment:
    """Change an employment record, refusing a stale version."""
    return _case_record_update(
        record=employment, actor=actor, version=version, data=data, allowed=EMPLOYMENT_FIELDS,
        dates=("started_on", "ended_on"), event="employment_updated",
        event_data=lambda e: {"employment_id": e.pk},
    )  # fmt: skip


# --- stay rules -----------------------------------------------------------------------------


def case_stay_recompute_all() -> int:
    """Recompute every case's legal stay from the current rules; returns how many changed."""
    rules = active_stay_rules()
    changed = 0
    cases = (
        Case.objects.select_related("person")
        .only(
            "id",
            "entry_date",
            "stay_basis",
            "permit_valid_until",
            "legal_stay_until",
            "region",
            "person__citizenship",
        )
        .prefetch_related("stays")
    )
    for case in cases.iterator(chunk_size=500):
        until = case_stay_assessment(case, rules=rules).until
        if until != case.legal_stay_until:
            # A derived value: no version bump, so nobody's open edit form goes stale.
            Case.objects.filter(pk=case.pk).update(legal_stay_until=until)
            changed += 1
    return changed


@transaction.atomic
def stay_rule_save(*, rule: StayRule, actor) -> StayRule:
    """Save a stay rule (administrators) and recompute every case's legal stay afterwards."""
    if not (actor.is_authenticated and actor.role == "administrator"):
        raise PermissionDenied(_("Only administrators change stay rules."))
    rule.citizenships = sorted({code.strip().upper() for code in rule.citizenships or []})
    from .validators import validate_country

    for code in rule.citizenships:
        try:
            validate_country(code)
        except ValidationError as exc:
            raise ValidationError({"citizenships": exc.messages}) from exc
    _full_clean(rule)
    created = rule.pk is None
    rule.save()
    audit_record(
        actor=actor,
        action="create" if created else "update",
        target=rule,
        details={
            "citizenships": rule.citizenships,
            "host_country": rule.host_country,
            "stay_basis": rule.stay_basis,
            "days": rule.days,
            "window": [rule.window_limit_days, rule.window_days],
            "year_limit_days": rule.year_limit_days,
            "until_permit": rule.until_permit,
            "grace_days": rule.grace_days,
        },
    )
    _schedule_stay_recompute()
    return rule


@transaction.atomic
def stay_rule_delete(*, rule: StayRule, actor) -> None:
    """Delete a stay rule (administrators) and recompute every case's legal stay afterwards."""
    if not (actor.is_authenticated and actor.role == "administrator"):
        raise PermissionDenied(_("Only administrators change stay rules."))
    audit_record(actor=actor, action="delete", target=rule, details={"name": rule.name})
    rule.delete()
    _schedule_stay_recompute()


def _schedule_stay_recompute() -> None:
    from .tasks import cases_stay_recompute

    # A message per change of the rules: each recompute must read the rules as they now are.
    outbox_enqueue(cases_stay_recompute)
