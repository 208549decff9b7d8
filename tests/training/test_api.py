from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.training.models import Attendance
from tests.accounts.factories import OrganizationFactory
from tests.training.factories import (
    AttendanceFactory,
    InspectorFactory,
    TrainingSessionFactory,
    passed_session,
)

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/training-sessions/"
INSPECTORS = "/api/v1/inspectors/"
PAYLOAD = {
    "title": "Forced labour indicators",
    "topic": "forced_labour_indicators",
    "date": "2025-09-12",
    "hours": "6.0",
    "trainer_organization": "ILO",
    "language": "kk",
    "location": "Shymkent",
}


def test_an_administrator_creates_a_session_with_the_api_fields(api, administrator):
    response = api.as_user(administrator).post(SESSIONS, PAYLOAD, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in PAYLOAD} == PAYLOAD
    assert body["version"] == 1 and body["id"]


def test_every_topic_code_of_the_contract_is_accepted(api, administrator):
    topics = [
        "victim_identification",
        "forced_labour_indicators",
        "debt_bondage",
        "interviewing_interpreters",
        "non_punishment",
        "referral_procedures",
        "other",
    ]
    client = api.as_user(administrator)
    for topic in topics:
        assert client.post(SESSIONS, PAYLOAD | {"topic": topic}, format="json").status_code == 201
    response = client.post(SESSIONS, PAYLOAD | {"topic": "yoga"}, format="json")
    assert response.status_code == 400 and "topic" in response.json()


def test_bad_hours_get_a_translated_field_error(api, administrator):
    response = api.as_user(administrator).post(
        SESSIONS, PAYLOAD | {"hours": "0"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {"hours": ["Enter the hours: more than 0, at most 80."]}


@pytest.mark.parametrize("persona", ["auditor", "inspector", "caseworker_a"])
def test_only_administrators_create_sessions(api, request, persona):
    user = request.getfixturevalue(persona)
    assert api.as_user(user).post(SESSIONS, PAYLOAD, format="json").status_code == 403


def test_a_stale_update_gets_409(api, administrator):
    session = TrainingSessionFactory()
    client = api.as_user(administrator)
    url = f"{SESSIONS}{session.pk}/"
    assert client.patch(url, {"title": "A", "version": 1}, format="json").status_code == 200
    response = client.patch(url, {"title": "B", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


def test_sessions_are_listed_for_readers_and_refused_to_caseworkers(
    api, administrator, auditor, inspector, caseworker_a
):
    attended = AttendanceFactory(inspector=inspector).session
    other = TrainingSessionFactory()
    ids = lambda user: {s["id"] for s in api.as_user(user).get(SESSIONS).json()["results"]}  # noqa: E731
    assert ids(administrator) == ids(auditor) == {attended.pk, other.pk}
    assert ids(inspector) == {attended.pk}
    assert api.as_user(inspector).get(f"{SESSIONS}{other.pk}/").status_code == 404
    assert api.as_user(caseworker_a).get(SESSIONS).status_code == 403


def test_attendance_is_posted_as_a_list_and_saved(api, administrator, inspector):
    session = TrainingSessionFactory()
    colleague = InspectorFactory(organization=inspector.organization)
    response = api.as_user(administrator).post(
        f"{SESSIONS}{session.pk}/attendance/",
        [
            {"inspector": inspector.pk, "passed": True, "score": 85},
            {"inspector": colleague.pk, "passed": False, "score": 40},
        ],
        format="json",
    )
    assert response.status_code == 200
    assert {(a["inspector"], a["passed"], a["score"]) for a in response.json()} == {
        (inspector.pk, True, 85),
        (colleague.pk, False, 40),
    }
    listed = api.as_user(administrator).get(f"{SESSIONS}{session.pk}/attendance/").json()
    assert len(listed) == 2


def test_bad_attendance_lines_get_per_item_errors_and_nothing_is_saved(
    api, administrator, inspector, caseworker_a
):
    session = TrainingSessionFactory()
    response = api.as_user(administrator).post(
        f"{SESSIONS}{session.pk}/attendance/",
        [
            {"inspector": inspector.pk, "passed": True, "score": 85},
            {"inspector": caseworker_a.pk, "passed": True, "score": 85},
        ],
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"1": {"inspector": ["caseworker_a is not a labour inspector."]}}
    assert not Attendance.objects.exists()


def test_a_score_out_of_range_is_a_400_for_that_item(api, administrator, inspector):
    session = TrainingSessionFactory()
    response = api.as_user(administrator).post(
        f"{SESSIONS}{session.pk}/attendance/",
        [{"inspector": inspector.pk, "passed": True, "score": 101}],
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["0"]) == ["score"]
    assert not Attendance.objects.exists()


def test_attendance_for_a_session_not_yet_held_is_a_409(api, administrator, inspector):
    session = TrainingSessionFactory(date=timezone.localdate() + timedelta(days=7))
    response = api.as_user(administrator).post(
        f"{SESSIONS}{session.pk}/attendance/",
        [{"inspector": inspector.pk, "passed": True, "score": 90}],
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "session_not_held"


@pytest.mark.parametrize("persona", ["auditor", "inspector"])
def test_only_administrators_record_attendance(api, request, persona, inspector):
    session = AttendanceFactory(inspector=inspector).session
    response = api.as_user(request.getfixturevalue(persona)).post(
        f"{SESSIONS}{session.pk}/attendance/",
        [{"inspector": inspector.pk, "passed": True, "score": 90}],
        format="json",
    )
    assert response.status_code == 403


def test_an_inspector_reads_only_their_own_attendance_row(api, inspector):
    session = AttendanceFactory(inspector=inspector).session
    AttendanceFactory(session=session, inspector=InspectorFactory())
    rows = api.as_user(inspector).get(f"{SESSIONS}{session.pk}/attendance/").json()
    assert [r["inspector"] for r in rows] == [inspector.pk]


def test_the_inspector_list_shows_trained_and_certified_until(api, administrator, inspector):
    today = timezone.localdate()
    passed_session(inspector, today - timedelta(days=10))
    passed_session(inspector, today - timedelta(days=5), topic="debt_bondage")
    body = api.as_user(administrator).get(INSPECTORS).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == inspector.pk
    assert row["trained"] is True
    from apps.training.certification import certification_expiry

    assert row["certified_until"] == certification_expiry(today - timedelta(days=10)).isoformat()
    assert row["sessions_attended"] == 2
    assert row["organization"] == inspector.organization_id


def test_the_inspector_list_filters_by_trained_organization_and_region(api, administrator):
    astana = OrganizationFactory(name="Astana insp", kind="labour_inspectorate", region="astana")
    almaty = OrganizationFactory(
        name="Almaty insp", kind="labour_inspectorate", region="almaty_city"
    )
    trained = InspectorFactory(organization=astana)
    passed_session(trained, timezone.localdate())
    untrained = InspectorFactory(organization=almaty)
    client = api.as_user(administrator)

    def ids(query):
        response = client.get(INSPECTORS, query)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids({"trained": "true"}) == {trained.pk}
    assert ids({"trained": "false"}) == {untrained.pk}
    assert ids({"organization": almaty.pk}) == {untrained.pk}
    assert ids({"region": "astana"}) == {trained.pk}
    assert client.get(INSPECTORS, {"region": "atlantis"}).status_code == 400


def test_caseworkers_are_refused_the_inspector_list(api, caseworker_a):
    assert api.as_user(caseworker_a).get(INSPECTORS).status_code == 403


def test_an_inspector_sees_only_their_organisations_inspectors(api, inspector):
    colleague = InspectorFactory(organization=inspector.organization)
    stranger = InspectorFactory(
        organization=OrganizationFactory(name="Far inspectorate", kind="labour_inspectorate")
    )
    client = api.as_user(inspector)
    ids = {r["id"] for r in client.get(INSPECTORS).json()["results"]}
    assert ids == {inspector.pk, colleague.pk}
    assert client.get(f"{INSPECTORS}{stranger.pk}/").status_code == 404


def test_anonymous_clients_get_401(api):
    assert api.get(INSPECTORS).status_code == 401
    assert api.get(SESSIONS).status_code == 401


def _inspectors_with_history(count):
    org = OrganizationFactory(name="Busy inspectorate", kind="labour_inspectorate")
    for i in range(count):
        inspector = InspectorFactory(organization=org)
        passed_session(inspector, date(2025, 1, 1) + timedelta(days=i))
        passed_session(inspector, date(2025, 3, 1), topic="other")


def test_the_inspector_list_query_count_does_not_grow_with_page_size(
    api, administrator, django_assert_max_num_queries
):
    _inspectors_with_history(30)
    client = api.as_user(administrator)
    with django_assert_max_num_queries(4):
        small = client.get(INSPECTORS, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = client.get(INSPECTORS, {"page_size": 30})
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 30


def test_the_session_list_query_count_does_not_grow_with_page_size(
    api, administrator, django_assert_max_num_queries
):
    _inspectors_with_history(20)
    client = api.as_user(administrator)
    with django_assert_max_num_queries(4):
        response = client.get(SESSIONS, {"page_size": 40})
    assert response.json()["count"] == 40
