"""Reads in the Django admin are in the audit log (issue 18 item 7): a record's pages with its
id, a list with the ids it showed and its search as a keyed hash only."""

import json

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.crypto import search_hash
from apps.removals.models import Removal
from tests.cases.factories import CaseFactory
from tests.proceedings.factories import ProceedingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def proceeding(caseworker_a):
    case = CaseFactory(organization=caseworker_a.organization, created_by=caseworker_a)
    return ProceedingFactory(created_by=caseworker_a, cases=[case], reference="UD-2026-771204")


def _reads(model_label: str):
    return AuditEntry.objects.filter(action="read", target_type=model_label).order_by("id")


@pytest.mark.parametrize("page", ["change", "history"])
def test_opening_a_record_in_the_admin_is_audited(admin_client, administrator, proceeding, page):
    response = admin_client.get(f"/admin/proceedings/proceeding/{proceeding.pk}/{page}/")
    assert response.status_code == 200
    entry = _reads("proceedings.proceeding").get()
    assert (entry.actor, entry.target_id, entry.details) == (
        administrator, str(proceeding.pk), {"admin": page},
    )  # fmt: skip
    assert entry.ip_address == "127.0.0.1"


def test_a_list_in_the_admin_is_audited_with_its_ids_and_its_search_hashed(admin_client, inspector):
    case = CaseFactory(organization=inspector.organization, created_by=inspector)
    removal = Removal.objects.create(
        case=case, grounds="overstay", proposed_on=timezone.localdate(), proposed_by=inspector
    )
    response = admin_client.get(
        "/admin/removals/removal/", {"q": case.reference, "status__exact": "pending"}
    )
    assert response.status_code == 200
    entry = _reads("removals.removal").get()
    assert entry.details == {
        "admin": "changelist",
        "list": [str(removal.pk)],
        "count": 1,
        "filters": ["status__exact"],
        "search": {"hash": search_hash(case.reference)},
    }
    assert case.reference not in json.dumps(entry.details)


def test_every_admin_list_is_audited(admin_client):
    """Each registered model's list, whatever it holds, writes a read entry of its type."""
    for model in admin.site._registry:
        meta = model._meta
        response = admin_client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert response.status_code == 200, meta.label
        assert _reads(meta.label_lower).filter(details__admin="changelist").exists(), meta.label


def test_the_admin_writes_nothing_for_those_it_turns_away(client, caseworker_a, proceeding):
    client.force_login(caseworker_a)
    response = client.get(f"/admin/proceedings/proceeding/{proceeding.pk}/change/")
    assert response.status_code == 302
    assert not _reads("proceedings.proceeding").exists()
    client.logout()
    assert client.get("/admin/proceedings/proceeding/").status_code == 302
    assert not _reads("proceedings.proceeding").exists()


def test_a_proceeding_is_read_only_in_the_admin(admin_client, proceeding):
    """The admin never saves it, so never writes its name (the file number) in its own
    history in clear."""
    page = admin_client.get(f"/admin/proceedings/proceeding/{proceeding.pk}/change/")
    assert b'name="_save"' not in page.content
    admin_client.post(f"/admin/proceedings/proceeding/{proceeding.pk}/change/", {})
    assert not LogEntry.objects.filter(object_repr__contains="771204").exists()
