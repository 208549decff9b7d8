"""Caseworkers, inspectors and an administrator working together (docs/benchmarks.md, "Load").

Run headless against gunicorn on 127.0.0.1 with the bench database (make load-test). Every user
signs in from this one machine: start gunicorn with the token endpoint's and search's rate
limits raised (CASEMGR_API_RATE_TOKEN, CASEMGR_API_RATE_SEARCH; docs/benchmarks.md, "Load").

    locust -f loadtest/locustfile.py --headless --host http://127.0.0.1:8000 \
        --users 30 --spawn-rate 5 --run-time 2m --csv docs/load/run

Accounts come from the synthetic data (`manage.py generate_synthetic`): the bench_* users. Their
password and the administrators' TOTP secret are made anew by every generator run and written
outside the repository, to the file this reads ($LOAD_CREDENTIALS, else the generator's default:
$CASEMGR_BENCH_CREDENTIALS, else ~/.local/state/casemgr/bench-credentials.json). The accounts
are read once from the bench database (DATABASE_URL).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path

import psycopg
import pyotp
from locust import HttpUser, between, events, task

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casemgr_bench")
REPORT_YEAR = int(os.environ.get("LOAD_REPORT_YEAR", "2025"))

CREDENTIALS: dict[str, str] = {}
ACCOUNTS: dict[str, list[str]] = {}
FAMILY_NAMES: list[str] = []
_lock = threading.Lock()
_admins = itertools.count()


def credentials_file() -> Path:
    # The same default as apps.core.management.commands.generate_synthetic (not imported: the
    # load test runs without Django).
    configured = os.environ.get("LOAD_CREDENTIALS") or os.environ.get("CASEMGR_BENCH_CREDENTIALS")
    if configured:
        return Path(configured)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "casemgr" / "bench-credentials.json"


@events.init.add_listener
def load_accounts(environment, **_kwargs):
    """This run's secrets, usernames by role, busiest first, and names to search for."""
    path = credentials_file()
    try:
        CREDENTIALS.update(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"{path}: {exc}; run manage.py generate_synthetic first") from exc
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT u.username, u.role FROM accounts_user u "
            "WHERE u.username LIKE 'bench\\_%%' AND u.is_active ORDER BY u.id"
        ).fetchall()
    for username, role in rows:
        ACCOUNTS.setdefault(role, []).append(username)
    FAMILY_NAMES.extend(["Karimov", "Saidova", "Nazarov", "Rakhimova", "Usmanov"])


class Worker(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        with _lock:
            self.username = random.choice(ACCOUNTS[self.role])
        body = {"username": self.username, "password": CREDENTIALS["password"]}
        if self.role == "administrator":
            body["otp"] = pyotp.TOTP(CREDENTIALS["totp_secret"]).now()
        with self.client.post("/api/v1/auth/token/", json=body, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"sign-in {self.username}: {r.status_code} {r.text[:200]}")
                self.stop()
                return
            token = r.json()["token"]
        self.client.headers["Authorization"] = f"Token {token}"
        self.case_ids: list[int] = []
        self.refresh_cases()

    def refresh_cases(self, **params):
        r = self.client.get(
            "/api/v1/cases/", params={"page_size": 50, **params}, name="/api/v1/cases/ [list]"
        )
        if r.status_code == 200:
            self.case_ids = [c["id"] for c in r.json()["results"] if c["status"] == "open"]


class Caseworker(Worker):
    """Lists and searches the organisation's cases, reads them, writes notes."""

    role = "caseworker"
    weight = 6
    wait_time = between(1, 3)

    @task(5)
    def list_cases(self):
        filters = random.choice(
            [
                {},
                {"status": "open"},
                {"status": "open", "risk_level": "high"},
                {"overstay": "true"},
                {"sector": "construction"},
                {"page": 2},
            ]
        )
        self.refresh_cases(**filters)

    @task(2)
    def search(self):
        self.client.get(
            "/api/v1/cases/",
            params={"q": random.choice(FAMILY_NAMES), "page_size": 50},
            name="/api/v1/cases/?q= [search]",
        )

    @task(4)
    def open_case(self):
        if not self.case_ids:
            return
        case_id = random.choice(self.case_ids)
        self.client.get(f"/api/v1/cases/{case_id}/", name="/api/v1/cases/[id]/")
        self.client.get(f"/api/v1/cases/{case_id}/timeline/", name="/api/v1/cases/[id]/timeline/")

    @task(1)
    def add_note(self):
        if not self.case_ids:
            return
        self.client.post(
            f"/api/v1/cases/{random.choice(self.case_ids)}/notes/",
            json={"text": "Called the person; appointment at the office on Monday."},
            name="/api/v1/cases/[id]/notes/",
        )


class Inspector(Worker):
    """Screens the people of the cases they work on; proposes removals and decides them."""

    role = "inspector"
    weight = 3
    wait_time = between(2, 5)

    @task(3)
    def list_cases(self):
        self.refresh_cases(status="open")

    @task(2)
    def screen(self, case_id: int | None = None):
        if not self.case_ids:
            return
        self.client.post(
            "/api/v1/screenings/",
            json={
                "case": case_id or random.choice(self.case_ids),
                "answers": {"dr_job_nature": "no", "cr_violence": "no", "ex_excessive_hours": "no"},
                "interview_language": "ru",
                "consent_given": True,
                "status": "complete",
            },
            name="/api/v1/screenings/",
        )

    @task(1)
    def propose_and_decide(self):
        if not self.case_ids:
            return
        case_id = random.choice(self.case_ids)
        # A decision needs a screening from the last 30 days: interview first, as inspectors do.
        self.screen(case_id)
        r = self.client.post(
            "/api/v1/removals/",
            json={"case": case_id, "grounds": "overstay"},
            name="/api/v1/removals/",
        )
        if r.status_code != 201:
            return
        removal = r.json()
        if removal["status"] != "pending":
            return  # suspended for a flagged person: only an administrator decides it
        self.client.post(
            f"/api/v1/removals/{removal['id']}/decide/",
            json={"decision": "no_removal", "version": removal["version"]},
            name="/api/v1/removals/[id]/decide/",
        )


class Administrator(Worker):
    """Looks at the whole country's cases and the annual report."""

    role = "administrator"
    weight = 1
    fixed_count = 1
    wait_time = between(5, 10)

    @task(3)
    def list_cases(self):
        self.refresh_cases(region=random.choice(["almaty_city", "astana", "shymkent"]))

    @task(1)
    def annual_report(self):
        self.client.get(
            f"/api/v1/reports/annual/{REPORT_YEAR}/", name="/api/v1/reports/annual/[year]/"
        )
