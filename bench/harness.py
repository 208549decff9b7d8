"""Server-side timings of casemgr's heavy requests beside their hand-written SQL.

A request is run through Django's test Client (the whole WSGI stack and middleware, no
network) and timed with perf_counter; its hand-written SQL runs on its own psycopg connection
on the same database. Query counts come from CaptureQueriesContext on one extra request.
"""

from __future__ import annotations

import io
import json
import platform
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from . import raw


@dataclass
class Result:
    name: str
    size: int
    django_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    queries_by_page_size: dict[int, int] = field(default_factory=dict)
    verified: str = ""
    # The first request, when it differs from the rest (the report computing earlier years).
    first_ms: float | None = None
    # What each timed request was (the case list's user and parameters), beside django_ms.
    labels: list[str] = field(default_factory=list)

    @staticmethod
    def _p(values: list[float], q: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index]

    def summary(self) -> dict:
        if not self.django_ms:
            return {"name": self.name, "size": self.size, "verified": self.verified}
        d_med = statistics.median(self.django_ms)
        r_med = statistics.median(self.raw_ms) if self.raw_ms else float("nan")
        return {
            "name": self.name,
            "size": self.size,
            "reps": len(self.django_ms),
            "django_median_ms": round(d_med, 2),
            "django_p95_ms": round(self._p(self.django_ms, 0.95), 2),
            "raw_median_ms": round(r_med, 2),
            "raw_p95_ms": round(self._p(self.raw_ms, 0.95), 2),
            "ratio_median": round(d_med / r_med, 2) if r_med == r_med and r_med else None,
            "ratio_p95": round(self._p(self.django_ms, 0.95) / self._p(self.raw_ms, 0.95), 2)
            if self.raw_ms
            else None,
            "queries": self.queries,
            "queries_by_page_size": self.queries_by_page_size,
            "verified": self.verified,
            "first_ms": None if self.first_ms is None else round(self.first_ms, 1),
            "django_ms": [round(ms, 1) for ms in self.django_ms],
            "raw_ms": [round(ms, 1) for ms in self.raw_ms],
            # The three slowest requests through Django, with what they were.
            "slowest": sorted(
                (
                    [round(ms, 1), self.labels[i] if i < len(self.labels) else ""]
                    for i, ms in enumerate(self.django_ms)
                ),
                reverse=True,
            )[:3],
        }


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def _psycopg_connection():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=connection.settings_dict["NAME"],
        # The same session settings as Django's connection (jit=off, say).
        options=(db.get("OPTIONS") or {}).get("options", ""),
    )


# What the case list reads: the tables and every index of these (pg_prewarm, see Bench).
PREWARM_TABLES = ["cases_case", "cases_person"]
PREWARM_INDEXES_OF = ["cases_case", "cases_person", "cases_identitydocument", "cases_casenamekey"]


def prewarm(pg) -> float:
    """Load what the case list reads into PostgreSQL's shared buffers with pg_prewarm, as on
    a server that has been running; the MB loaded, or 0 without the extension. Django and the
    raw SQL run on the same server, so both gain alike; `--no-prewarm` measures a cold start."""
    import psycopg

    try:
        with pg.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                """
                SELECT COALESCE(SUM(pg_prewarm(oid::regclass)), 0) FROM pg_class WHERE oid IN (
                    SELECT oid FROM pg_class WHERE relname = ANY(%s)
                    UNION
                    SELECT i.indexrelid FROM pg_index i
                    JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s)
                )
                """,
                [PREWARM_TABLES, PREWARM_INDEXES_OF],
            )
            blocks = cursor.fetchone()[0]
        pg.commit()
    except psycopg.Error:
        pg.rollback()
        return 0
    return round(int(blocks) * 8 / 1024, 1)


class Bench:
    def __init__(self, *, size: int, reps: int, report_reps: int, warm: bool = True):
        from apps.audit.services import CHAIN_LOCK_KEY

        self.size = size
        self.reps = reps
        self.report_reps = report_reps
        self.lock_key = CHAIN_LOCK_KEY
        self.today = timezone.localdate()
        self.pg = _psycopg_connection()
        self.prewarmed_mb = prewarm(self.pg) if warm else 0
        from . import patches

        self.patched_report = patches.apply()
        self._pick_users()

    # --- fixtures ---------------------------------------------------------------------------

    def _pick_users(self) -> None:
        from django.db.models import Count

        from apps.accounts.models import User
        from apps.accounts.tokens import api_token_create

        self.caseworker = (
            User.objects.filter(role="caseworker", username__startswith="bench_")
            .annotate(n=Count("organization__cases"))
            .order_by("-n", "pk")
            .first()
        )
        screened = (
            User.objects.filter(role="inspector", username__startswith="bench_")
            .annotate(n=Count("screenings"))
            .order_by("-n", "pk")
        )
        self.inspector = screened.first()
        self.admin = User.objects.get(username="bench_admin_1")
        self.tokens = {
            # As if each had signed in with their code (the administrator has a second factor).
            u.pk: api_token_create(user=u, two_factor=True)[1]
            for u in (self.caseworker, self.inspector, self.admin)
        }

    def client(self, user) -> Client:
        return Client(headers={"authorization": f"Token {self.tokens[user.pk]}"})

    # --- scenarios --------------------------------------------------------------------------

    def case_list_params(self) -> list[tuple[object, dict]]:
        from apps.cases.models import Case, IdentityDocument

        sample = list(
            Case.objects.filter(organization_id=self.caseworker.organization_id)
            .select_related("person")
            .order_by("?")[:5]
        )
        refs = [c.reference for c in sample]
        names = [c.person.family_name for c in sample]
        number = IdentityDocument.objects.filter(case=sample[2]).values_list("number", flat=True)
        cw, admin, inspector = self.caseworker, self.admin, self.inspector
        variants = [
            (cw, {}),
            (cw, {"status": "open"}),
            (cw, {"status": "open", "risk_level": "high"}),
            (cw, {"sector": "construction", "overstay": "true"}),
            (cw, {"q": refs[0]}),
            (cw, {"q": refs[1][:9]}),
            (cw, {"q": names[0]}),
            (cw, {"q": number[0].lower()}),
            (cw, {"page": "3"}),
            (admin, {}),
            (admin, {"region": "almaty_city", "status": "open"}),
            (admin, {"risk_level": "high", "citizenship": "UZ"}),
            (admin, {"q": refs[2]}),
            (admin, {"q": names[1]}),
            (admin, {"victim_status": "identified", "page": "2"}),
            (inspector, {"status": "open"}),
        ]
        for _user, params in variants:
            params.setdefault("page_size", "50")
        return variants

    def search_sql(self, q: str, *, ordered: bool = True, organization: int | None = None):
        """Hand-written equivalent of apps.cases.selectors.case_search."""
        return case_search_sql(q, ordered=ordered, organization=organization)

    def run_case_list(self) -> Result:
        result = Result("case list (page of 50, filters, search)", self.size)
        variants = self.case_list_params()
        mismatches = 0
        self.client(self.caseworker).get("/api/v1/cases/", {"page_size": 50})  # warm-up
        for n in range(self.reps):
            user, params = variants[n % len(variants)]
            client = self.client(user)
            ms, response = _timed(lambda c=client, p=params: c.get("/api/v1/cases/", p))
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            shown = {k: v for k, v in params.items() if k != "page_size"}
            result.labels.append(f"{user.role} {shown}")
            ms, ids = _timed(
                lambda u=user, p=params: raw.case_list(
                    self.pg,
                    token=self.tokens[u.pk],
                    params=p,
                    today=self.today,
                    search_sql=self.search_sql,
                    lock_key=self.lock_key,
                    count_limit=getattr(settings, "CASEMGR_LIST_COUNT_LIMIT", 0),
                )
            )
            result.raw_ms.append(ms)
            if n < len(variants):
                got = [row["id"] for row in response.json()["results"]]
                mismatches += got != ids
        result.verified = (
            f"same ids in {len(variants) - mismatches}/{len(variants)} variants"
            if mismatches
            else f"same page ids in all {min(self.reps, len(variants))} variants"
        )
        client = self.client(self.caseworker)
        for page_size in (10, 50, 200):
            with CaptureQueriesContext(connection) as ctx:
                client.get("/api/v1/cases/", {"page_size": page_size, "status": "open"})
            result.queries_by_page_size[page_size] = len(ctx)
        result.queries = result.queries_by_page_size[50]
        return result

    def run_case_detail(self) -> Result:
        from apps.cases.models import Case

        result = Result("case detail", self.size)
        ids = list(
            Case.objects.filter(organization_id=self.caseworker.organization_id)
            .order_by("?")
            .values_list("pk", flat=True)[: self.reps]
        )
        client = self.client(self.caseworker)
        client.get(f"/api/v1/cases/{ids[-1]}/")  # warm-up
        for n in range(self.reps):
            case_id = ids[n % len(ids)]
            ms, response = _timed(lambda c=case_id: client.get(f"/api/v1/cases/{c}/"))
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            ms, got = _timed(
                lambda c=case_id: raw.case_detail(
                    self.pg,
                    token=self.tokens[self.caseworker.pk],
                    case_id=c,
                    lock_key=self.lock_key,
                )
            )
            assert got == case_id
            result.raw_ms.append(ms)
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/api/v1/cases/{ids[0]}/")
        result.queries = len(ctx)
        result.verified = "same case"
        return result

    def run_duplicate_check(self) -> Result:
        """POST /api/v1/cases/duplicates/ for people of the database, as typed again: the same
        spelling, names swapped, day and month swapped. The raw SQL is the lookup's floor: the
        candidates under the keyed hashes, their rows and their cases (no decryption, no
        scoring)."""
        from apps.cases.identity import Identity, hashed_blocking_keys
        from apps.cases.models import Person

        result = Result("duplicate check", self.size)
        people = list(
            Person.objects.exclude(date_of_birth=None)
            .exclude(family_name="")
            .order_by("?")
            .only("given_name", "family_name", "date_of_birth", "citizenship")[: self.reps]
        )
        client = self.client(self.caseworker)
        missed = 0
        for n in range(self.reps):
            person = people[n % len(people)]
            given, family, born = person.given_name, person.family_name, person.date_of_birth
            if n % 3 == 1:
                given, family = family, given
            if n % 3 == 2 and born.day <= 12:
                born = born.replace(month=born.day, day=born.month)
            body = {
                "given_name": given,
                "family_name": family,
                "date_of_birth": born.isoformat(),
                "citizenship": person.citizenship,
            }
            ms, response = _timed(
                lambda b=body: client.post("/api/v1/cases/duplicates/", b, format="json")
            )
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            found = response.json()
            missed += not (found["cases"] or found["elsewhere"])
            keys = sorted(
                hashed_blocking_keys(
                    Identity(given_name=given, family_name=family, date_of_birth=born)
                )
            )
            ms, _ids = _timed(lambda k=keys: raw.duplicate_candidates(self.pg, keys=k))
            result.raw_ms.append(ms)
        with CaptureQueriesContext(connection) as ctx:
            client.post("/api/v1/cases/duplicates/", body, format="json")
        result.queries = len(ctx)
        result.verified = f"the person itself found in {self.reps - missed}/{self.reps}"
        return result

    def run_name_search(self) -> Result:
        """A name search typed in the other script: a stored family name with a gendered
        ending changed or the Cyrillic spelling, through GET /api/v1/cases/?q= (the raw SQL is
        case_search_sql's, verified to give the same page)."""
        from apps.cases.models import Case

        result = Result("name search (any script)", self.size)
        names = list(
            Case.objects.filter(organization_id=self.caseworker.organization_id)
            .select_related("person")
            .order_by("?")
            .values_list("person__family_name", flat=True)[: self.reps]
        )
        from apps.cases.identity import russian_cyrillic

        typed = [russian_cyrillic(n) if i % 2 else n for i, n in enumerate(names)]
        client = self.client(self.caseworker)
        mismatches = 0
        for n in range(self.reps):
            params = {"q": typed[n % len(typed)], "page_size": "50"}
            ms, response = _timed(lambda p=params: client.get("/api/v1/cases/", p))
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            ms, ids = _timed(
                lambda p=params: raw.case_list(
                    self.pg,
                    token=self.tokens[self.caseworker.pk],
                    params=p,
                    today=self.today,
                    search_sql=self.search_sql,
                    lock_key=self.lock_key,
                    count_limit=getattr(settings, "CASEMGR_LIST_COUNT_LIMIT", 0),
                )
            )
            result.raw_ms.append(ms)
            mismatches += [row["id"] for row in response.json()["results"]] != ids
        result.verified = (
            f"same ids in {self.reps - mismatches}/{self.reps}"
            if mismatches
            else f"same page ids in all {self.reps}"
        )
        with CaptureQueriesContext(connection) as ctx:
            client.get("/api/v1/cases/", params)
        result.queries = len(ctx)
        return result

    def _open_cases_of_inspector(self, n: int, *, risk=None) -> list[int]:
        from apps.cases.models import Case

        qs = Case.objects.filter(status="open", screenings__screened_by=self.inspector).distinct()
        if risk:
            qs = qs.filter(risk_level__in=risk).exclude(
                screenings__trafficking__in=["presumed_victim", "possible_victim"]
            )
        return list(qs.values_list("pk", flat=True)[:n])

    def run_screening_create(self) -> Result:
        from apps.screening.demo import PATTERNS
        from apps.screening.engine import evaluate, risk_level

        result = Result("screening create (complete)", self.size)
        cases = self._open_cases_of_inspector(2 * self.reps + 1)
        answers = PATTERNS[2][0]  # no indicators: the commonest interview
        ev = evaluate(answers)
        evaluated = {
            "result": ev.to_dict(),
            "trafficking": ev.trafficking,
            "forced_labour": ev.forced_labour,
            "debt_coercion": ev.debt_coercion,
            "risk_level": risk_level(ev),
        }
        client = self.client(self.inspector)
        body = {
            "answers": answers,
            "interview_language": "ru",
            "consent_given": True,
            "status": "complete",
        }
        for n in range(self.reps):
            case_id = cases[(2 * n) % len(cases)]
            ms, response = _timed(
                lambda c=case_id: client.post(
                    "/api/v1/screenings/", {**body, "case": c}, content_type="application/json"
                )
            )
            assert response.status_code == 201, response.content[:300]
            result.django_ms.append(ms)
            other = cases[(2 * n + 1) % len(cases)]
            ms, _ = _timed(
                lambda c=other: raw.screening_create(
                    self.pg,
                    token=self.tokens[self.inspector.pk],
                    case_id=c,
                    answers=answers,
                    result=evaluated,
                    lock_key=self.lock_key,
                )
            )
            result.raw_ms.append(ms)
        with CaptureQueriesContext(connection) as ctx:
            client.post(
                "/api/v1/screenings/",
                {**body, "case": cases[0]},
                content_type="application/json",
            )
        result.queries = len(ctx)
        result.verified = "201; raw inserts the same rows"
        return result

    def run_removal_decide(self) -> Result:
        from apps.removals.models import Removal

        result = Result("removal decide", self.size)
        from apps.screening.models import Screening

        cases = self._open_cases_of_inspector(2 * self.reps + 1, risk=["low"])
        # A decision needs a screening from the last 30 days: make these cases' latest recent.
        Screening.objects.filter(case_id__in=cases, status="complete").update(
            completed_at=timezone.now() - timedelta(days=1)
        )
        removals = [
            Removal.objects.create(
                case_id=cases[n % len(cases)],
                grounds="overstay",
                proposed_on=self.today - timedelta(days=3),
                proposed_by=self.inspector,
            )
            for n in range(2 * self.reps + 1)
        ]
        client = self.client(self.inspector)
        for n in range(self.reps):
            removal = removals[2 * n]
            ms, response = _timed(
                lambda r=removal: client.post(
                    f"/api/v1/removals/{r.pk}/decide/",
                    {"decision": "remove", "version": r.version},
                    content_type="application/json",
                )
            )
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            other = removals[2 * n + 1]
            ms, _ = _timed(
                lambda r=other: raw.removal_decide(
                    self.pg,
                    token=self.tokens[self.inspector.pk],
                    removal_id=r.pk,
                    lock_key=self.lock_key,
                )
            )
            result.raw_ms.append(ms)
        last = removals[-1]
        with CaptureQueriesContext(connection) as ctx:
            client.post(
                f"/api/v1/removals/{last.pk}/decide/",
                {"decision": "remove", "version": last.version},
                content_type="application/json",
            )
        result.queries = len(ctx)
        result.verified = "200; raw writes the same decision"
        return result

    def run_annual_report(self) -> Result:
        from apps.reports.history import max_age
        from apps.reports.models import YearMetrics
        from apps.training.certification import earliest_qualifying_date

        result = Result("annual report (all years on record)", self.size)
        client = self.client(self.admin)
        year = self.today.year - 1
        regions = ["", "", "almaty_city"]
        within = getattr(settings, "CASEMGR_REFERRAL_WITHIN_DAYS", 7)
        report = None
        # The first report computes the earlier years and keeps them (apps/reports/history.py);
        # it is timed on its own, then the warm-up fills the other scopes.
        YearMetrics.objects.all().delete()
        ms, _response = _timed(lambda: client.get(f"/api/v1/reports/annual/{year}/"))
        result.first_ms = ms
        client.get(f"/api/v1/reports/annual/{year}/", {"region": "almaty_city"})  # warm-up
        for n in range(self.report_reps):
            region = regions[n % len(regions)]
            params = {"region": region} if region else {}
            ms, response = _timed(lambda p=params: client.get(f"/api/v1/reports/annual/{year}/", p))
            assert response.status_code == 200, response.content[:300]
            result.django_ms.append(ms)
            if not region:
                report = response.json()
            ms, raw_report = _timed(
                lambda r=region: raw.annual_report(
                    self.pg,
                    year=year,
                    region=r,
                    tz=settings.TIME_ZONE,
                    within_days=within,
                    max_age=max_age(),
                    qualifying=earliest_qualifying_date(date(year, 12, 31)),
                )
            )
            result.raw_ms.append(ms)
            if not region:
                raw_full = raw_report
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/api/v1/reports/annual/{year}/")
        result.queries = len(ctx)
        result.verified = _verify_report(report, raw_full, year)
        return result

    def run_import(self) -> Result:
        from apps.accounts.models import User
        from apps.training.models import TrainingSession

        result = Result("attendance import (40 rows, check + save)", self.size)
        inspectors = list(
            User.objects.filter(role="inspector", username__startswith="bench_")
            .order_by("pk")
            .values_list("username", flat=True)[:40]
        )
        rows = [(name, n % 5 != 0, 60 + n % 40) for n, name in enumerate(inspectors)]
        sheet = "username,passed,score\n" + "".join(
            f"{name},{'yes' if passed else 'no'},{score}\n" for name, passed, score in rows
        )
        client = Client()
        client.force_login(self.admin)
        session = client.session
        session["casemgr_2fa_verified"] = True
        session.save()
        for n in range(self.reps):
            made = [
                TrainingSession.objects.create(
                    title=f"Bench import {n}-{k}",
                    topic="victim_identification",
                    date=self.today - timedelta(days=10),
                    hours=6,
                    trainer_organization="IOM",
                    language="ru",
                    location="Astana",
                )
                for k in range(2)
            ]

            def request(s=made[0]):
                upload = io.BytesIO(sheet.encode())
                upload.name = "attendance.csv"
                first = client.post(f"/training/sessions/{s.pk}/import/", {"file": upload})
                assert first.status_code == 200, first.status_code
                second = client.post(f"/training/sessions/{s.pk}/import/confirm/")
                assert second.status_code in (200, 302), second.status_code
                return second

            ms, _ = _timed(request)
            result.django_ms.append(ms)
            assert made[0].attendances.count() == len(rows), "import saved nothing"
            ms, _ = _timed(
                lambda s=made[1]: raw.attendance_import(
                    self.pg,
                    admin_id=self.admin.pk,
                    session_id=s.pk,
                    rows=rows,
                    lock_key=self.lock_key,
                )
            )
            result.raw_ms.append(ms)
        result.verified = f"{len(rows)} attendances saved both ways"
        target = TrainingSession.objects.create(
            title="Bench import count",
            topic="victim_identification",
            date=self.today - timedelta(days=10),
            hours=6,
            trainer_organization="IOM",
            language="ru",
            location="Astana",
        )
        with CaptureQueriesContext(connection) as ctx:
            upload = io.BytesIO(sheet.encode())
            upload.name = "attendance.csv"
            client.post(f"/training/sessions/{target.pk}/import/", {"file": upload})
            client.post(f"/training/sessions/{target.pk}/import/confirm/")
        result.queries = len(ctx)
        return result

    def run_all(self, only: list[str] | None = None, *, keep_going: bool = False) -> list[Result]:
        """Every scenario; with keep_going a failing one is reported as failed, not fatal."""
        scenarios = [
            ("case_list", self.run_case_list),
            ("case_detail", self.run_case_detail),
            ("duplicate_check", self.run_duplicate_check),
            ("name_search", self.run_name_search),
            ("screening_create", self.run_screening_create),
            ("removal_decide", self.run_removal_decide),
            ("annual_report", self.run_annual_report),
            ("import", self.run_import),
        ]
        results = []
        for key, fn in scenarios:
            if only and key not in only:
                continue
            if not keep_going:
                results.append(fn())
                continue
            try:
                results.append(fn())
            except Exception as exc:  # noqa: BLE001 - a bench run reports every scenario
                self.pg.rollback()
                failed = Result(key.replace("_", " "), self.size)
                failed.verified = f"FAILED: {type(exc).__name__}: {str(exc)[:200]}"
                results.append(failed)
        self.pg.close()
        return results


def case_search_sql(q: str, *, ordered: bool = True, organization: int | None = None):
    """The WHERE clause of apps.cases.selectors.case_search, hand-written: a word with a digit is
    a reference prefix (when it starts with letters and a dash) or an exact keyed hash of a
    document number; a word without one an exact
    keyed hash of a name, or also a reference prefix when it could start one. Within one
    organisation (`organization`, a caseworker's list) a name's cases are one range of the
    name search's table (cases_casenamekey); otherwise the people of a
    name are a hash probed for the page and for one organisation's count (`ordered`), and an
    array read through person_id's index for a national count, as the selector writes them."""
    from apps.cases.matching import word_key
    from apps.cases.search import document_number_hash, name_hash
    from apps.cases.selectors import _could_be_reference, _could_start_reference

    clauses, args = [], []
    for term in (q or "").split()[:6]:
        prefix = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if any(ch.isdigit() for ch in term):
            documents = (
                "c.id = ANY(ARRAY(SELECT case_id FROM cases_identitydocument "
                "WHERE number_hash = %s))"
            )
            # Only a word that starts with letters and a dash can start a reference.
            if _could_be_reference(term):
                clauses.append(f"(UPPER(c.reference::text) LIKE UPPER(%s) OR {documents})")
                args += [prefix, document_number_hash(term)]
            else:
                clauses.append(documents)
                args.append(document_number_hash(term))
            continue
        # The people stored under the keyed hash of the word's skeleton (any script); a word
        # the skeleton cannot write matches whole names by their exact keyed hashes.
        shape = word_key(term)
        if shape and organization is not None and not _could_start_reference(term):
            clauses.append(
                "c.id = ANY(ARRAY(SELECT case_id FROM cases_casenamekey "
                "WHERE key = %s AND organization_id = %s))"
            )
            args += [shape, organization]
            continue
        if shape:
            people, people_args = (
                "SELECT person_id FROM cases_personmatchkey WHERE key = %s",
                [shape],
            )
        else:
            hashed = name_hash(term)
            people = (
                "SELECT id FROM cases_person WHERE given_name_hash = %s "
                "UNION ALL SELECT id FROM cases_person WHERE family_name_hash = %s "
                "UNION ALL SELECT id FROM cases_person WHERE middle_name_hash = %s"
            )
            people_args = [hashed, hashed, hashed]
        if _could_start_reference(term):
            clauses.append(
                f"((c.person_id IN ({people})) IS TRUE OR UPPER(c.reference::text) LIKE UPPER(%s))"
            )
            args += [*people_args, prefix]
        else:
            names = "(c.person_id IN ({})) IS TRUE" if ordered else "c.person_id = ANY(ARRAY({}))"
            clauses.append(names.format(people))
            args += people_args
    return " AND ".join(clauses) or "TRUE", args


def _differs(shown, expected) -> bool:
    """Whether the report's value is not the raw SQL's (a percentage comes as a string)."""
    if isinstance(expected, Decimal) or expected is None:
        return (None if shown is None else Decimal(str(shown))) != expected
    return shown != expected


def _verify_report(report: dict | None, raw_report: dict, year: int) -> str:
    """The raw SQL found what the report shows for the year, and the same earlier years."""
    if report is None:
        return "not compared"
    protection = report["metrics"]["protection"]
    persons, presumed, possible, _referred = raw_report["screening"][0]
    checks = {
        "persons_screened": persons,
        "presumed_victims": presumed,
        "possible_victims": possible,
        "identified_victims": raw_report["identified"][0][0],
        "removals_decided": raw_report["removals"][0][0],
        "referrals_sent": raw_report["referrals"][0][0],
    }
    from apps.reports.metrics import pct

    # The synthetic cases have one case per person and no links: persons are person ids.
    plans = raw_report.get("plans", [])
    persons_flagged = {row[0] for row in plans}
    planned = {row[0] for row in plans if row[1]}
    checks["presumed_victims_planned_pct"] = pct(len(planned), len(persons_flagged))
    bad = [k for k, v in checks.items() if _differs(protection.get(k), v)]
    kept = {y for y, _metrics in raw_report["kept"]}
    if not kept >= set(report["years_on_record"]) - {year}:
        bad.append("earlier years")
    return (
        "same " + ", ".join([*checks, "earlier years"]) if not bad else "DIFFERS: " + ", ".join(bad)
    )


def machine() -> dict:
    import os

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SHOW shared_buffers")
        shared = cursor.fetchone()[0]
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "postgresql": pg,
        "shared_buffers": shared,
        "python": platform.python_version(),
        "date": timezone.now().strftime("%Y-%m-%d"),
    }


def to_json(results: list[Result]) -> str:
    return json.dumps([r.summary() for r in results], indent=2)
