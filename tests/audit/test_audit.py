import pytest
from django.urls import reverse

from apps.audit.models import AppendOnlyError, AuditEntry
from apps.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted(caseworker_a):
    entry = audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    entry.action = "update"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="update")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_postgresql_refuses_changes_even_in_raw_sql(caseworker_a):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    entry = audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def test_an_entry_names_actor_target_and_address(client, caseworker_a):
    client.force_login(caseworker_a)
    client.post(reverse("accounts:set_language"), {"language": "kk"}, REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.actor == caseworker_a
    assert entry.actor_username == "caseworker_a"
    assert entry.actor_organization_id == caseworker_a.organization_id
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(caseworker_a.pk))
    assert entry.ip_address == "10.1.2.3"


@pytest.mark.parametrize("persona", ["administrator", "auditor"])
def test_administrators_and_auditors_read_the_log(client, request, persona, caseworker_a):
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert "caseworker_a" in response.content.decode()


@pytest.mark.parametrize("persona", ["caseworker_a", "inspector"])
def test_other_roles_may_not_read_the_log(client, api, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("audit:list")).status_code == 403
    assert api.as_user(user).get("/api/v1/audit/").status_code == 403


def test_the_log_is_filterable(client, administrator, caseworker_a, caseworker_b):
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    audit_record(actor=caseworker_b, action="update", target=caseworker_b)
    client.force_login(administrator)
    body = client.get(reverse("audit:list"), {"actor": "caseworker_b"}).content.decode()
    assert "caseworker_b" in body and "<td>caseworker_a</td>" not in body


def test_a_bad_filter_gets_a_translated_error(client, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("audit:list"),
        {"since": "2026-05-02", "until": "2026-05-01"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "Дата начала не может быть позже даты окончания." in response.content.decode()


def test_the_log_api_filters_by_action(api, auditor, caseworker_a):
    audit_record(actor=caseworker_a, action="read", target=caseworker_a)
    audit_record(actor=caseworker_a, action="export", target=caseworker_a)
    data = api.as_user(auditor).get("/api/v1/audit/", {"action": "export"}).json()
    assert [e["action"] for e in data["results"]] == ["export"]


def test_auditors_cannot_write_through_the_api(api, auditor):
    assert api.as_user(auditor).post("/api/v1/audit/", {}).status_code in {403, 405}
