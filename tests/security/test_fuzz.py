"""Schemathesis against the OpenAPI schema: whatever a signed-in client sends, no server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from apps.accounts.tokens import api_token_create
from tests.accounts.factories import UserFactory


def _load_schema():
    from casemgr.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_database_open():
    # Django closes connections when a real WSGI request ends; the test client avoids that and
    # so must these in-process WSGI calls, or the test database would close under them.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token(username, role, organization):
    user = UserFactory(username=username, role=role, organization=organization)
    return api_token_create(user=user, two_factor=True)[1]


@pytest.fixture
def administrator_token(db):
    return _token("fuzz-administrator", "administrator", None)


@pytest.fixture
def caseworker_token(db, ngo_a):
    return _token("fuzz-caseworker", "caseworker", ngo_a)


FUZZ = hypothesis_settings(
    max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


# An administrator reaches every operation; a caseworker meets the refusals too.
@schema.parametrize()
@FUZZ
def test_no_server_error_for_an_administrator(case, administrator_token):
    response = case.call(headers={"Authorization": f"Token {administrator_token}"})
    case.validate_response(response, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_no_server_error_for_a_caseworker(case, caseworker_token):
    response = case.call(headers={"Authorization": f"Token {caseworker_token}"})
    case.validate_response(response, checks=[not_a_server_error])
