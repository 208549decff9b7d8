from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from apps.audit.models import AuditEntry
from apps.cases.guards import close_refusals
from apps.cases.models import CaseEvent
from apps.core.exceptions import StaleVersion, WorkflowError
from apps.referrals import services
from apps.referrals.models import Notification, Referral
from tests.accounts.factories import UserFactory

from .factories import ReferralFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_referral_with_consent_is_sent_to_the_services_organisation(
    send, case_a, shelter_b, ngo_a, ngo_b, caseworker_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send()
    assert referral.status == "sent"
    assert referral.sending_organization == ngo_a
    assert referral.receiving_organization == ngo_b
    assert referral.consent_given_at is not None and referral.consent_given_by == "person"
    assert referral.shared_fields == ["name", "sex", "languages"]
    event = CaseEvent.objects.get(case=case_a, kind="referral_sent")
    assert event.data["service"] == "Almaty shelter"
    assert AuditEntry.objects.filter(
        action="create", target_type="referrals.referral", target_id=str(referral.pk)
    ).exists()
    assert len(mail.outbox) == 1


def test_a_referral_without_consent_is_refused_and_nothing_is_saved(send, case_a):
    with pytest.raises(ValidationError) as refused:
        send(consent_given=False)
    assert "consent" in refused.value.message_dict["consent_given"][0]
    assert not Referral.objects.exists()
    assert not CaseEvent.objects.filter(case=case_a).exists()


def test_the_consent_message_is_translated(send):
    with pytest.raises(ValidationError) as refused:
        send(consent_given=False)
    with translation.override("ru"):
        message = refused.value.message_dict["consent_given"][0]
    assert "consent" not in message and "согласие" in message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"urgency": "whenever"}, "urgency"),
        ({"shared_fields": ["passport_number"]}, "shared_fields"),
        ({"shared_fields": ["contact"], "contact_details": ""}, "contact_details"),
        ({"consent_given_by": "neighbour"}, "consent_given_by"),
        ({"consent_given_at": timezone.now() + timedelta(days=1)}, "consent_given_at"),
    ],
)
def test_a_referral_with_bad_input_is_refused_with_a_field_error(send, overrides, field):
    with pytest.raises(ValidationError) as refused:
        send(**overrides)
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_a_service_not_accepting_referrals_refuses_them(send, shelter_b):
    shelter_b.accepting = False
    shelter_b.save()
    with pytest.raises(ValidationError) as refused:
        send()
    assert "service" in refused.value.message_dict


def test_a_second_open_referral_to_the_same_service_is_refused(send):
    send()
    with pytest.raises(WorkflowError) as refused:
        send()
    assert refused.value.code == "duplicate_referral"


def test_a_closed_case_cannot_be_referred(send, case_a):
    case_a.status = "closed"
    case_a.save()
    with pytest.raises(WorkflowError) as refused:
        send()
    assert refused.value.code == "case_closed"


def test_only_caseworkers_and_inspectors_who_see_the_case_send_referrals(
    send, administrator, caseworker_b
):
    with pytest.raises(PermissionDenied):
        send(actor=administrator)
    with pytest.raises(PermissionDenied):
        send(actor=caseworker_b)
    assert not Referral.objects.exists()


def test_the_receiving_organisation_accepts_then_completes_with_an_outcome(
    send, caseworker_b, case_a
):
    referral = send()
    referral = services.referral_accept(actor=caseworker_b, referral=referral, version=1)
    assert referral.status == "accepted" and referral.accepted_at and referral.version == 2
    referral = services.referral_complete(
        actor=caseworker_b, referral=referral, outcome="Stayed 10 days, moved to family."
    )
    assert referral.status == "completed" and referral.completed_at
    assert referral.outcome == "Stayed 10 days, moved to family."
    kinds = set(CaseEvent.objects.filter(case=case_a).values_list("kind", flat=True))
    assert {"referral_sent", "referral_accepted", "referral_completed"} <= kinds


def test_the_receiving_organisation_declines_with_a_reason(send, caseworker_b):
    referral = send()
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(actor=caseworker_b, referral=referral, reason=" ")
    assert "reason" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "sent"
    referral = services.referral_decline(actor=caseworker_b, referral=referral, reason="No beds.")
    assert referral.status == "declined" and referral.decline_reason == "No beds."


def test_completing_needs_an_outcome(send, caseworker_b):
    referral = services.referral_accept(actor=caseworker_b, referral=send())
    with pytest.raises(ValidationError) as refused:
        services.referral_complete(actor=caseworker_b, referral=referral, outcome="")
    assert "outcome" in refused.value.message_dict


def test_the_sending_organisation_withdraws_an_open_referral(send, caseworker_a, case_a):
    referral = services.referral_withdraw(actor=caseworker_a, referral=send())
    assert referral.status == "withdrawn" and referral.withdrawn_at
    assert CaseEvent.objects.filter(case=case_a, kind="referral_withdrawn").exists()


@pytest.mark.parametrize(
    ("actor_name", "action"),
    [
        ("caseworker_a", "accept"),
        ("caseworker_a", "decline"),
        ("caseworker_c", "accept"),
        ("administrator", "accept"),
        ("auditor", "complete"),
        ("caseworker_b", "withdraw"),
        ("administrator", "withdraw"),
    ],
)
def test_only_the_right_organisation_may_act(send, request, actor_name, action):
    referral = send()
    if action == "complete":
        referral = services.referral_accept(
            actor=request.getfixturevalue("caseworker_b"), referral=referral
        )
    actor = request.getfixturevalue(actor_name)
    call = {
        "accept": lambda: services.referral_accept(actor=actor, referral=referral),
        "decline": lambda: services.referral_decline(actor=actor, referral=referral, reason="x"),
        "complete": lambda: services.referral_complete(actor=actor, referral=referral, outcome="x"),
        "withdraw": lambda: services.referral_withdraw(actor=actor, referral=referral),
    }[action]
    status_before = Referral.objects.get(pk=referral.pk).status
    with pytest.raises(PermissionDenied):
        call()
    assert Referral.objects.get(pk=referral.pk).status == status_before


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("accepted", "accept"),
        ("declined", "accept"),
        ("completed", "accept"),
        ("withdrawn", "accept"),
        ("accepted", "decline"),
        ("completed", "decline"),
        ("withdrawn", "decline"),
        ("sent", "complete"),
        ("declined", "complete"),
        ("completed", "complete"),
        ("withdrawn", "complete"),
        ("declined", "withdraw"),
        ("completed", "withdraw"),
        ("withdrawn", "withdraw"),
    ],
)
def test_each_wrong_state_transition_is_refused_with_invalid_transition(
    case_a, shelter_b, caseworker_a, caseworker_b, status, action
):
    referral = ReferralFactory(case=case_a, service=shelter_b, sent_by=caseworker_a, status=status)
    call = {
        "accept": lambda: services.referral_accept(actor=caseworker_b, referral=referral),
        "decline": lambda: services.referral_decline(
            actor=caseworker_b, referral=referral, reason="x"
        ),
        "complete": lambda: services.referral_complete(
            actor=caseworker_b, referral=referral, outcome="x"
        ),
        "withdraw": lambda: services.referral_withdraw(actor=caseworker_a, referral=referral),
    }[action]
    with pytest.raises(WorkflowError) as refused:
        call()
    assert refused.value.code == "invalid_transition"
    referral.refresh_from_db()
    assert referral.status == status and referral.version == 1


def test_an_answer_from_a_stale_version_is_refused(send, caseworker_b):
    referral = send()
    services.referral_accept(actor=caseworker_b, referral=referral, version=1)
    with pytest.raises(StaleVersion):
        services.referral_complete(actor=caseworker_b, referral=referral, outcome="x", version=1)


# --- close guard ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["possible", "presumed", "identified"])
def test_a_flagged_persons_case_needs_an_accepted_referral_to_close(
    send, case_a, caseworker_a, caseworker_b, status
):
    case_a.victim_status = status
    case_a.save()
    [reason] = close_refusals(case_a)
    assert "refuses assistance" in reason
    referral = send()
    assert len(close_refusals(case_a)) == 1, "a referral nobody has accepted does not count"
    services.referral_accept(actor=caseworker_b, referral=referral)
    assert close_refusals(case_a) == []
    services.referral_withdraw(actor=caseworker_a, referral=referral)
    assert len(close_refusals(case_a)) == 1, "a withdrawn referral does not count"


def test_a_completed_referral_satisfies_the_close_rule(send, case_a, caseworker_b):
    case_a.victim_status = "presumed"
    case_a.save()
    referral = services.referral_accept(actor=caseworker_b, referral=send())
    services.referral_complete(actor=caseworker_b, referral=referral, outcome="Housed")
    assert close_refusals(case_a) == []


def test_a_declined_referral_does_not_satisfy_the_close_rule(send, case_a, caseworker_b):
    case_a.victim_status = "presumed"
    case_a.save()
    services.referral_decline(actor=caseworker_b, referral=send(), reason="Full")
    assert len(close_refusals(case_a)) == 1


def test_cases_of_people_not_flagged_close_without_a_referral(case_a):
    for status in ["not_assessed", "not_a_victim"]:
        case_a.victim_status = status
        assert close_refusals(case_a) == []


# --- notifications -------------------------------------------------------------------------


def test_a_new_referral_emails_the_receiving_organisation_in_its_language(
    send, ngo_b, django_capture_on_commit_callbacks
):
    ngo_b.languages = ["uz", "kk", "ru"]
    ngo_b.email = "intake@ngo-b.example.org"
    ngo_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = send()
    [message] = mail.outbox
    assert message.to == ["intake@ngo-b.example.org"]
    with translation.override("kk"):
        expected = translation.gettext("Urgent referral #%(number)s to %(service)s")
    assert expected != "Urgent referral #%(number)s to %(service)s"
    assert message.subject == expected % {"number": referral.pk, "service": "Almaty shelter"}
    assert f"/referrals/{referral.pk}/" in message.body
    assert "Karimov" not in message.body, "e-mails carry no personal data"


def test_answers_email_the_sender_in_the_senders_language(
    send, caseworker_a, caseworker_b, django_capture_on_commit_callbacks
):
    caseworker_a.language = "ru"
    caseworker_a.save()
    referral = send()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_decline(actor=caseworker_b, referral=referral, reason="No beds")
    [message] = mail.outbox
    assert message.to == [caseworker_a.email]
    with translation.override("ru"):
        expected = translation.gettext("Referral #%(number)s to %(service)s was declined")
    assert expected != "Referral #%(number)s to %(service)s was declined"
    assert message.subject == expected % {"number": referral.pk, "service": "Almaty shelter"}


def test_an_organisation_without_an_address_is_reached_through_its_members(
    send, ngo_b, caseworker_b, django_capture_on_commit_callbacks
):
    ngo_b.email = ""
    ngo_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        send()
    assert mail.outbox[0].to == [caseworker_b.email]


def test_a_redelivered_notification_sends_nothing_twice(send):
    from apps.referrals.tasks import notify_referral

    referral = send()
    assert notify_referral.delay(referral.pk, "sent").get() == 1
    assert notify_referral.delay(referral.pk, "sent").get() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get(key=f"referral-{referral.pk}-sent").sent_at is not None


def test_a_failed_send_is_not_recorded_so_the_retry_sends(send, monkeypatch):
    referral = send()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        services.notification_send(referral_id=referral.pk, kind="sent")
    assert not Notification.objects.exists()
    monkeypatch.undo()
    assert services.notification_send(referral_id=referral.pk, kind="sent") == 1


def test_notification_tasks_retry_transient_failures():
    from apps.referrals.tasks import escalate_overdue, notify_referral

    for task in (notify_referral, escalate_overdue):
        assert ConnectionError in tuple(
            cls for cls in task.autoretry_for if issubclass(ConnectionError, cls)
        ) or any(issubclass(ConnectionError, cls) for cls in task.autoretry_for)
        assert task.max_retries >= 3 and task.retry_backoff


# --- escalation ----------------------------------------------------------------------------


def test_a_referral_not_accepted_in_time_is_escalated_once_to_the_administrators(
    case_a, shelter_b, caseworker_a, django_capture_on_commit_callbacks
):
    admin_ru = UserFactory(role="administrator", organization=None, language="ru")
    UserFactory(role="administrator", organization=None, is_active=False)
    old = ReferralFactory(
        case=case_a,
        service=shelter_b,
        sent_by=caseworker_a,
        sent_at=timezone.now() - timedelta(hours=49),
    )
    recent = ReferralFactory(
        case=case_a, service=shelter_b, sent_by=caseworker_a, sent_at=timezone.now()
    )
    answered = ReferralFactory(
        case=case_a,
        service=shelter_b,
        sent_by=caseworker_a,
        status="accepted",
        sent_at=timezone.now() - timedelta(hours=72),
    )
    from apps.referrals.tasks import escalate_overdue

    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue.delay().get() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    answered.refresh_from_db()
    assert old.escalated_at is not None
    assert recent.escalated_at is None and answered.escalated_at is None
    assert [m.to for m in mail.outbox] == [[admin_ru.email]]
    assert "48" in mail.outbox[0].subject
    assert CaseEvent.objects.filter(case=case_a, kind="referral_escalated").count() == 1


def test_the_escalation_period_is_a_setting(case_a, shelter_b, caseworker_a, settings):
    settings.CASEMGR_REFERRAL_ESCALATION_HOURS = 4
    referral = ReferralFactory(
        case=case_a,
        service=shelter_b,
        sent_by=caseworker_a,
        sent_at=timezone.now() - timedelta(hours=5),
    )
    assert services.referrals_escalate_overdue() == 1
    referral.refresh_from_db()
    assert referral.escalated_at is not None


# --- the directory -------------------------------------------------------------------------


def _service_arguments(**overrides):
    return {
        "service_type": "legal_aid",
        "name": "Migrant legal clinic",
        "regions": ["astana", "akmola"],
        "languages": ["RU", "kk"],
        "capacity": 10,
    } | overrides


def test_a_member_adds_a_service_of_their_own_organisation(caseworker_a, ngo_a):
    service = services.service_create(
        actor=caseworker_a, organization=ngo_a, **_service_arguments()
    )
    assert service.regions == ["akmola", "astana"]
    assert service.languages == ["kk", "ru"]
    assert AuditEntry.objects.filter(action="create", target_id=str(service.pk)).exists()


def test_nobody_adds_or_changes_another_organisations_services(
    caseworker_b, ngo_a, auditor, administrator
):
    with pytest.raises(PermissionDenied):
        services.service_create(actor=caseworker_b, organization=ngo_a, **_service_arguments())
    with pytest.raises(PermissionDenied):
        services.service_create(actor=auditor, organization=ngo_a, **_service_arguments())
    service = services.service_create(
        actor=administrator, organization=ngo_a, **_service_arguments()
    )
    with pytest.raises(PermissionDenied):
        services.service_update(actor=caseworker_b, service=service, capacity=0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"service_type": "spa"}, "service_type"),
        ({"regions": []}, "regions"),
        ({"regions": ["mars"]}, "regions"),
        ({"languages": ["russian"]}, "languages"),
        ({"capacity": -1}, "capacity"),
        ({"eligible_sexes": ["robot"]}, "eligible_sexes"),
        ({"accepts_adults": False, "accepts_minors": False}, "accepts_adults"),
    ],
)
def test_a_service_with_bad_details_is_refused(caseworker_a, ngo_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.service_create(
            actor=caseworker_a, organization=ngo_a, **_service_arguments(**overrides)
        )
    assert field in refused.value.message_dict


def test_a_service_update_keeps_regions_and_languages_and_moves_the_version(
    caseworker_b, shelter_b
):
    service = services.service_update(
        actor=caseworker_b,
        service=shelter_b,
        version=1,
        capacity=0,
        accepting=False,
        regions=["almaty_city", "almaty_region"],
    )
    service = type(service).objects.get(pk=service.pk)
    assert (service.capacity, service.accepting, service.version) == (0, False, 2)
    assert service.regions == ["almaty_city", "almaty_region"]
    assert service.languages == ["ru", "uz"]
    with pytest.raises(StaleVersion):
        services.service_update(actor=caseworker_b, service=service, version=1, capacity=3)


# --- matching ------------------------------------------------------------------------------


def test_matches_rank_region_then_language_then_capacity(case_a, caseworker_a, ngo_b, ngo_c):
    from apps.referrals.selectors import service_matches_for_case

    far_uz = ServiceFactory(organization=ngo_c, name="Far, Uzbek", regions=["shymkent"],
                            languages=["uz"], capacity=3)  # fmt: skip
    near_ru = ServiceFactory(organization=ngo_b, name="Near, Russian", regions=["almaty_city"],
                             languages=["ru"], capacity=1)  # fmt: skip
    near_kk = ServiceFactory(organization=ngo_b, name="Near, Kazakh", regions=["almaty_city"],
                             languages=["kk"], capacity=9)  # fmt: skip
    ServiceFactory(organization=ngo_b, name="Closed", regions=["almaty_city"], accepting=False)
    ServiceFactory(organization=ngo_b, name="Women only", regions=["almaty_city"],
                   eligible_sexes=["female"])  # fmt: skip
    ServiceFactory(organization=ngo_b, name="Minors only", regions=["almaty_city"],
                   accepts_adults=False, accepts_minors=True)  # fmt: skip
    matches = service_matches_for_case(caseworker_a, case=case_a)
    assert [m.service for m in matches] == [near_ru, near_kk, far_uz]
    assert matches[0].reasons == ["region", "language", "capacity"]


def test_matches_put_the_type_asked_for_first(case_a, caseworker_a, ngo_b):
    from apps.referrals.selectors import service_matches_for_case

    ServiceFactory(organization=ngo_b, service_type="shelter", regions=["almaty_city"])
    legal = ServiceFactory(organization=ngo_b, service_type="legal_aid", regions=["almaty_city"])
    matches = service_matches_for_case(caseworker_a, case=case_a, service_type="legal_aid")
    assert [m.service for m in matches] == [legal]
