"""The API's scoped rate limits (apps.core.throttling): the token endpoint per client address,
searches and duplicate checks per user; 429 `rate_limited` with Retry-After, in the reader's
language."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings

from apps.core.throttling import (
    DuplicateCheckRateThrottle,
    SearchRateThrottle,
    TokenRateThrottle,
)

pytestmark = pytest.mark.django_db


def test_the_rates_are_the_settings():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert TokenRateThrottle().get_rate() == rates["auth_token"] == "30/minute"
    assert SearchRateThrottle().get_rate() == rates["search"]
    assert DuplicateCheckRateThrottle().get_rate() == rates["duplicate_check"]


@time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=False)
def test_the_token_endpoint_is_limited_per_address(api, caseworker_a):
    for _ in range(30):
        assert api.post("/api/v1/auth/token/", {}).status_code == 400
    response = api.post("/api/v1/auth/token/", {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "detail": "Слишком много таких запросов. Попробуйте снова через 1 минуту.",
    }
    assert response["Retry-After"] == "60"
    elsewhere = api.post("/api/v1/auth/token/", {}, REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 400


def test_searches_are_limited_per_user_and_plain_lists_are_not(
    api, caseworker_a, caseworker_b, monkeypatch
):
    monkeypatch.setattr(SearchRateThrottle, "THROTTLE_RATES", {"search": "3/minute"})
    client = api.as_user(caseworker_a)
    for _ in range(3):
        assert client.get("/api/v1/cases/", {"q": "Karimov"}).status_code == 200
    refused = client.get("/api/v1/cases/", {"q": "Karimov"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["detail"] == "Мұндай сұраулар тым көп. 1 минуттан кейін қайталап көріңіз."
    assert "Karimov" not in refused.content.decode()
    assert client.get("/api/v1/cases/").status_code == 200
    assert api.as_user(caseworker_b).get("/api/v1/cases/", {"q": "Karimov"}).status_code == 200


def test_duplicate_checks_are_limited_per_user(api, caseworker_a, caseworker_b, monkeypatch):
    monkeypatch.setattr(
        DuplicateCheckRateThrottle, "THROTTLE_RATES", {"duplicate_check": "2/minute"}
    )
    body = {"given_name": "Timur", "family_name": "Aliev", "sex": "male"}
    client = api.as_user(caseworker_a)
    for _ in range(2):
        assert client.post("/api/v1/cases/duplicates/", body).status_code == 200
    refused = client.post("/api/v1/cases/duplicates/", body)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "Retry-After" in refused
    assert api.as_user(caseworker_b).post("/api/v1/cases/duplicates/", body).status_code == 200


def test_the_hourly_duplicate_check_limit_answers_the_same_way(api, caseworker_a, settings):
    settings.CASEMGR_DUPLICATE_CHECKS_PER_HOUR = 1
    body = {"given_name": "Timur", "family_name": "Aliev", "sex": "male"}
    client = api.as_user(caseworker_a)
    assert client.post("/api/v1/cases/duplicates/", body).status_code == 200
    refused = client.post("/api/v1/cases/duplicates/", body)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
