"""One realistic world for the access matrix, built through the apps' own services.

NGO A owns a case (person, document, employment, note) that an inspector of the Labour
Inspectorate screened and proposed for removal; NGO A referred the person to a shelter of NGO B
and to legal aid of a third organisation, recorded that the person refused any further
assistance, and recorded a criminal proceeding. NGO B and the
inspectorates have records of their own, so that every list can be checked in both directions.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Organization, User
from apps.audit.models import AuditEntry
from apps.caseplans import services as caseplans
from apps.cases import services as cases
from apps.proceedings import services as proceedings
from apps.referrals import services as referrals
from apps.removals import services as removals
from apps.reports import services as reports
from apps.reports.models import ReportJob
from apps.screening import services as screening
from apps.tasks import services as tasks
from apps.training import services as training
from tests.accounts.factories import OrganizationFactory, UserFactory

# Columns of the matrix, in order: who is asking.
PERSONAS = (
    "anonymous",
    "caseworker_a",  # NGO A: owns the records
    "caseworker_b",  # NGO B: another organisation (receives one referral)
    "inspector",  # Labour Inspectorate: screened NGO A's case, proposed its removal
    "inspector_b",  # another inspectorate: nothing to do with NGO A's case
    "administrator",
    "auditor",
)

# Answers that flag the person as a possible victim (debt bondage, withheld documents).
POSSIBLE_VICTIM = {"cd_debt_bondage": "yes", "cd_documents": "yes"}
REPORT_YEAR = 2025


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)


def _person(given: str, family: str, born: datetime.date, citizenship: str = "UZ") -> dict:
    return {
        "given_name": given,
        "family_name": family,
        "sex": "male",
        "date_of_birth": born,
        "citizenship": citizenship,
        "languages": ["uz", "ru"],
    }


def _open_case(actor: User, person: dict, *, region: str, number: str, via: str):
    return cases.case_open(
        actor=actor,
        person=person,
        region=region,
        identified_via=via,
        sector="construction",
        entry_date=datetime.date(2026, 1, 5),
        stay_basis="visa_free",
        documents=[{"kind": "passport", "number": number, "held_by": "employer"}],
    )


def _service(actor: User, name: str, service_type: str, region: str):
    return referrals.service_create(
        actor=actor,
        organization=actor.organization,
        service_type=service_type,
        name=name,
        regions=[region, "astana"],
        languages=["ru", "kk", "uz"],
        capacity=4,
    )


def build() -> World:
    """Create the organisations, personas and records; returns their ids by name."""
    ngo_a = OrganizationFactory(name="NGO A", kind="ngo", region="astana")
    ngo_b = OrganizationFactory(name="NGO B", kind="ngo", region="almaty_city")
    ngo_c = OrganizationFactory(name="Legal Aid Centre", kind="ngo", region="astana")
    inspectorate = OrganizationFactory(
        name="Labour Inspectorate", kind=Organization.Kind.LABOUR_INSPECTORATE, region="astana"
    )
    inspectorate_b = OrganizationFactory(
        name="Shymkent Labour Inspectorate",
        kind=Organization.Kind.LABOUR_INSPECTORATE,
        region="shymkent",
    )
    users = {
        "anonymous": None,
        "caseworker_a": UserFactory(username="caseworker_a", organization=ngo_a),
        "caseworker_b": UserFactory(username="caseworker_b", organization=ngo_b),
        "inspector": UserFactory(username="inspector", role="inspector", organization=inspectorate),
        "inspector_b": UserFactory(
            username="inspector_b", role="inspector", organization=inspectorate_b
        ),
        "administrator": UserFactory(
            username="administrator", role="administrator", organization=None
        ),
        "auditor": UserFactory(username="auditor", role="auditor", organization=None),
    }
    caseworker_c = UserFactory(username="caseworker_c", organization=ngo_c)
    cw_a, cw_b = users["caseworker_a"], users["caseworker_b"]
    insp, insp_b, admin = users["inspector"], users["inspector_b"], users["administrator"]
    w = World(users=users)

    # NGO A's case with everything a case holds.
    case_a = _open_case(
        cw_a,
        _person("Aziz", "Karimov", datetime.date(1994, 3, 2)),
        region="astana",
        number="AA1111111",
        via="ngo_outreach",
    )
    document_a = case_a.documents.get()
    employment_a = cases.employment_add(
        case=case_a,
        actor=cw_a,
        data={
            "employer": "Stroi-Invest LLP",
            "sector": "construction",
            "region": "astana",
            "started_on": datetime.date(2026, 1, 15),
            "promised_wage_amount": Decimal("250000"),
            "promised_wage_currency": "KZT",
            "actual_wage_amount": Decimal("90000"),
            "actual_wage_currency": "KZT",
        },
    )
    cases.case_note_add(case=case_a, actor=cw_a, text="Met at the site; needs an interpreter.")
    # The inspector screens the case during an inspection (so may see it) and proposes removal;
    # the flagging result suspends the removal at once.
    screening_a = screening.screening_create(
        actor=insp, case=case_a, answers=POSSIBLE_VICTIM, interview_language="ru"
    )
    removal_a = removals.removal_propose(actor=insp, case=case_a, grounds="overstay")
    # A draft screening the caseworker started and will finish later.
    draft_a = screening.screening_create(
        actor=cw_a, case=case_a, answers={}, interview_language="ru", complete=False
    )

    # NGO B offers a shelter (and legal aid); the third organisation offers legal aid.
    shelter_b = _service(cw_b, "Safe House Almaty", "shelter", "almaty_city")
    legal_b = _service(cw_b, "NGO B legal clinic", "legal_aid", "almaty_city")
    legal_c = _service(caseworker_c, "Legal Aid Centre Astana", "legal_aid", "astana")
    referral_ab = referrals.referral_send(
        actor=cw_a, case=case_a, service=shelter_b, consent_given=True, reason="Needs shelter."
    )
    referral_ac = referrals.referral_send(
        actor=cw_a, case=case_a, service=legal_c, consent_given=True, reason="Unpaid wages."
    )
    refusal_a = referrals.assistance_refusal_record(
        actor=cw_a,
        case=case_a,
        refused_on=datetime.date(2026, 2, 3),
        informed_of_rights=True,
        notes="Wants no help beyond the legal advice.",
    )
    proceeding_a = proceedings.proceeding_create(
        user=cw_a, case_ids=[case_a.pk], exploitation="labour", opened_on=datetime.date(2026, 2, 1)
    )
    soon = timezone.localdate() + datetime.timedelta(days=2)
    task_a = tasks.task_create(actor=cw_a, case=case_a, title="Call the lawyer", due_on=soon)
    follow_up_a = tasks.follow_up_plan(actor=cw_a, case=case_a, kind="phone", planned_on=soon)
    plan_a = caseplans.caseplan_assess(
        actor=cw_a, case=case_a, version=None, needs={"shelter": {"level": "urgent"}}
    )
    goal_a = caseplans.caseplan_goal_add(
        actor=cw_a, case=case_a, version=plan_a.version, area="shelter",
        description="Shelter place", due_on=soon, actions=["Call the shelter"],
    )  # fmt: skip
    action_a = goal_a.actions.get()

    # NGO B's own case, screened by the other inspectorate (so that inspector_b sees it).
    case_b = _open_case(
        cw_b,
        _person("Dilnoza", "Rahimova", datetime.date(1998, 7, 9), "TJ"),
        region="almaty_city",
        number="BB2222222",
        via="hotline",
    )
    screening_b = screening.screening_create(
        actor=insp_b, case=case_b, answers=POSSIBLE_VICTIM, interview_language="ru"
    )
    removal_b = removals.removal_propose(actor=insp_b, case=case_b, grounds="overstay")
    from apps.protection.services import identification_record

    identification_b = identification_record(
        actor=admin,
        case=case_b,
        authority="Department of Police of Almaty",
        decision_number="17/2026",
        decided_on=datetime.date(2026, 3, 1),
        outcome="identified",
    )
    referral_bc = referrals.referral_send(
        actor=cw_b, case=case_b, service=legal_c, consent_given=True, reason="Passport held."
    )
    refusal_b = referrals.assistance_refusal_record(
        actor=cw_b, case=case_b, refused_on=datetime.date(2026, 2, 4), informed_of_rights=True
    )
    proceeding_b = proceedings.proceeding_create(
        user=cw_b, case_ids=[case_b.pk], exploitation="labour", opened_on=datetime.date(2026, 2, 2)
    )
    # The inspectorate's own case, met during a migration check.
    case_i = _open_case(
        insp,
        _person("Farrukh", "Nazarov", datetime.date(1990, 1, 20)),
        region="astana",
        number="II3333333",
        via="labour_inspection",
    )

    # Training: the inspector attended one session, the other inspectorate's inspector another.
    session_1 = training.training_session_create(
        actor=admin,
        title="Identifying victims of forced labour",
        topic="victim_identification",
        date=datetime.date(2025, 6, 10),
        hours=Decimal("6"),
        trainer_organization="IOM Kazakhstan",
        language="ru",
        location="Astana",
    )
    session_2 = training.training_session_create(
        actor=admin,
        title="Debt bondage",
        topic="debt_bondage",
        date=datetime.date(2025, 9, 3),
        hours=Decimal("4"),
        trainer_organization="OSCE",
        language="ru",
        location="Shymkent",
    )
    (attendance_1,) = training.attendance_record(
        session=session_1,
        actor=admin,
        lines=[training.AttendanceLine(inspector=insp.pk, passed=True, score=90)],
    )
    training.attendance_record(
        session=session_2,
        actor=admin,
        lines=[training.AttendanceLine(inspector=insp_b.pk, passed=True, score=70)],
    )

    # A published report and a finished background job (built directly: no worker here).
    published = reports.report_publish(user=admin, year=REPORT_YEAR, region=None, language="en")
    job = ReportJob.objects.create(
        requested_by=admin,
        years=[REPORT_YEAR],
        regions=[""],
        language="en",
        status=ReportJob.Status.DONE,
        done=1,
        total=1,
        results=[published.data],
    )

    records = {
        "case_a": case_a,
        "document_a": document_a,
        "employment_a": employment_a,
        "screening_a": screening_a,
        "draft_a": draft_a,
        "removal_a": removal_a,
        "referral_ab": referral_ab,
        "referral_ac": referral_ac,
        "refusal_a": refusal_a,
        "proceeding_a": proceeding_a,
        "task_a": task_a,
        "follow_up_a": follow_up_a,
        "plan_a": plan_a,
        "goal_a": goal_a,
        "action_a": action_a,
        "case_b": case_b,
        "screening_b": screening_b,
        "removal_b": removal_b,
        "identification_b": identification_b,
        "referral_bc": referral_bc,
        "refusal_b": refusal_b,
        "proceeding_b": proceeding_b,
        "case_i": case_i,
        "shelter_b": shelter_b,
        "legal_b": legal_b,
        "legal_c": legal_c,
        "session_1": session_1,
        "session_2": session_2,
        "attendance_1": attendance_1,
        "published": published,
        "job": job,
    }
    for name, record in records.items():
        record.refresh_from_db()
        w.ids[name] = record.pk
        if hasattr(record, "version"):
            w.versions[name] = record.version
        if hasattr(record, "reference") and record.reference:
            w.references[name] = record.reference
    for name, user in users.items():
        if user is not None:
            w.ids[name] = user.pk
    w.ids["ngo_a"] = ngo_a.pk
    w.ids["audit_entry"] = AuditEntry.objects.order_by("pk").values_list("pk", flat=True)[0]
    w.ids["year"] = REPORT_YEAR
    w.ids["no_link"] = 2**31 - 1  # no such person link
    # An API token of caseworker_a's: only they may revoke it; to everyone else it is a 404.
    from apps.accounts.tokens import api_token_create

    w.ids["token_a"] = api_token_create(user=users["caseworker_a"], two_factor=False)[0].pk
    return w
