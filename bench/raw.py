"""Hand-written SQL for each benchmarked request: the same rows and writes, through psycopg.

Each function gets a psycopg connection (autocommit off) and the request's parameters, does
everything the request must do in the database (token check, scoped read, writes, audit entry)
and commits. The time of these is the floor a Django request can approach.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

# An API token (django-rest-knox, apps.accounts.authentication): looked up by its first 15
# characters, matched by its SHA-512, alive, with the user and their authenticator.
TOKEN_SQL = (
    "SELECT u.id, u.role, u.organization_id FROM accounts_apitoken t "
    "JOIN accounts_user u ON u.id = t.user_id "
    "LEFT JOIN accounts_totpdevice d ON d.user_id = u.id "
    "WHERE t.token_key = %s AND t.digest = %s AND t.expiry > now() AND u.is_active "
    "AND t.role = u.role"
)
# The same advisory lock key as apps.audit.services (the hash chain).
AUDIT_SQL = (
    "INSERT INTO audit_auditentry (at, actor_id, actor_username, actor_organization_id, action, "
    "target_type, target_id, ip_address, details, prev_hash, hash) VALUES (now(), %s, %s, %s, %s, "
    "%s, %s, NULL, %s, COALESCE((SELECT hash FROM audit_auditentry ORDER BY id DESC LIMIT 1), ''),"
    " md5(random()::text))"
)


def _user(cur, token: str):
    cur.execute(TOKEN_SQL, [token[:15], hashlib.sha512(token.encode()).hexdigest()])
    return cur.fetchone()


def _audit(cur, lock_key: int, user, action: str, target_type: str, target_id, details) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key])
    cur.execute(
        AUDIT_SQL,
        [user[0], "", user[2], action, target_type, str(target_id), json.dumps(details)],
    )


def case_scope(user) -> tuple[str, list]:
    """The visibility rule of case_list_for_user as a WHERE clause on cases_case c."""
    uid, role, org = user
    if role in ("administrator", "auditor"):
        return "TRUE", []
    if role == "inspector":
        return (
            "c.id IN (SELECT id FROM cases_case WHERE organization_id = %s "
            "UNION SELECT case_id FROM screening_screening WHERE screened_by_id = %s)",
            [org, uid],
        )
    return "c.organization_id = %s", [org]


def case_filters(params: dict, *, today: date, search_sql) -> tuple[str, list]:
    clauses, args = [], []
    for name in ("status", "region", "risk_level", "sector", "victim_status"):
        if params.get(name):
            clauses.append(f"c.{name} = %s")
            args.append(params[name])
    if params.get("citizenship"):
        # The person's citizenship as kept on the case (apps.cases.models.Case.citizenship).
        clauses.append("c.citizenship = %s")
        args.append(params["citizenship"].upper())
    if params.get("overstay") == "true":
        clauses.append("c.legal_stay_until < %s")
        args.append(today)
    if params.get("q"):
        sql, q_args = search_sql(params["q"])
        clauses.append(sql)
        args += q_args
    return " AND ".join(clauses) or "TRUE", args


LIST_COLUMNS = (
    "c.id, c.reference, c.status, c.region, c.sector, c.identified_via, c.entry_date, "
    "c.border_crossing_point, c.stay_basis, c.permit_valid_until, c.legal_stay_until, "
    "c.risk_level, c.victim_status, c.identified_on, c.assigned_to_id, c.organization_id, "
    "c.outcome, c.closed_at, c.version, c.created_at, c.person_id, p.id, p.given_name, "
    "p.family_name, p.middle_name, p.sex, p.date_of_birth, p.citizenship, p.languages, p.phone, "
    "p.email, p.address, "
    # A range, not =, as apps.cases.selectors does: one index probe per listed case instead of
    # a hashed subplan over every withheld document.
    "EXISTS (SELECT 1 FROM cases_identitydocument d WHERE d.case_id >= c.id "
    "AND d.case_id <= c.id AND d.held_by IN ('employer', 'recruiter', 'intermediary')) AS has_withheld_documents"
)


_PERSON_JOIN = " JOIN cases_person p ON p.id = c.person_id"


def case_list(conn, *, token, params, today, search_sql, lock_key, count_limit=0) -> list[int]:
    """The list page as apps.cases.api does it: the count (exact up to count_limit, as
    apps.core.pagination; 0 counts all), the page of rows, and the audit entry."""
    page = int(params.get("page", 1))
    size = int(params.get("page_size", 50))
    with conn.cursor() as cur:
        user = _user(cur, token)
        scope, scope_args = case_scope(user)
        # Within one organisation (a caseworker) a name word's cases are one range of the name
        # search's table (cases_casenamekey), as apps.cases.selectors._people_named reads them.
        one_organisation = user[1] not in ("administrator", "auditor", "inspector")
        organization = user[2] if one_organisation else None
        where, where_args = case_filters(
            params, today=today, search_sql=lambda q: search_sql(q, organization=organization)
        )
        # The count never joins the person (no filter is on it), and, nationally, reads a
        # name's people as an array rather than probing a hash, as Django's count does.
        unordered, count_args = case_filters(
            params,
            today=today,
            search_sql=lambda q: search_sql(q, ordered=one_organisation, organization=organization),
        )
        counted = f"FROM cases_case c WHERE {scope} AND {unordered}"
        count_args = scope_args + count_args
        if count_limit:
            cur.execute(
                f"SELECT COUNT(*) FROM (SELECT c.id {counted} LIMIT %s) s",  # noqa: S608
                count_args + [count_limit + 1],
            )
        else:
            cur.execute(f"SELECT COUNT(*) {counted}", count_args)  # noqa: S608
        found = cur.fetchone()[0]
        lower_bound = found > count_limit > 0
        # Past a lower-bound count, one row more tells whether a next page exists. The page's
        # ids first, then their rows, as apps.cases.selectors.case_list_page reads them.
        # A name search is ranked by spelling (apps.cases.selectors._search_rank), over the
        # person's name hashes: the ids read joins the person, and the rows keep the rank.
        rank, rank_args = search_rank_sql(params.get("q", ""))
        if rank_args and not one_organisation and user[1] != "inspector":
            # A national search is ranked only when its rarest name word's skeleton is
            # written by at most RANK_LIMIT people (apps.cases.selectors._rank_affordable).
            rank, rank_args = _rank_if_affordable(cur, params["q"], rank, rank_args)
        join = _PERSON_JOIN if rank_args else ""
        order = (
            f"{rank} DESC, c.created_at DESC, c.id DESC"
            if rank_args
            else ("c.created_at DESC, c.id DESC")
        )
        ids_sql = (
            f"SELECT c.id FROM cases_case c{join} WHERE {scope} AND {where} "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        cur.execute(
            f"SELECT {LIST_COLUMNS} FROM cases_case c{_PERSON_JOIN} "  # noqa: S608
            f"WHERE c.id IN ({ids_sql}) ORDER BY {order}",
            scope_args
            + where_args
            + rank_args
            + [size + lower_bound, (page - 1) * size]
            + rank_args,
        )
        ids = [row[0] for row in cur.fetchall()][:size]
        _audit(cur, lock_key, user, "read", "cases.case", "", _list_details(ids, params, found))
    conn.commit()
    return ids


def _list_details(ids: list[int], params: dict, count: int) -> dict:
    """The audit entry's details as apps.cases.selectors.case_list_audit writes them: the
    filters that are codes, the search as a keyed hash."""
    from apps.cases.selectors import AUDITED_FILTERS
    from apps.core.crypto import search_hash

    details = {
        "list": ids,
        "count": count,
        "filters": {k: str(params[k]) for k in AUDITED_FILTERS if params.get(k)},
    }
    words = (params.get("q") or "").split()[:6]
    if words:
        details["search"] = {"hash": search_hash(" ".join(words)), "words": len(words)}
    return details


def _rank_if_affordable(cur, q: str, rank: str, rank_args: list) -> tuple[str, list]:
    from apps.cases.matching import word_key
    from apps.cases.selectors import RANK_LIMIT

    keys = [k for k in (word_key(t) for t in q.split()[:6] if not any(c.isdigit() for c in t)) if k]
    for key in keys:
        cur.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cases_personmatchkey WHERE key = %s LIMIT %s) s",
            [key, RANK_LIMIT + 1],
        )
        if cur.fetchone()[0] <= RANK_LIMIT:
            return rank, rank_args
    return ("", []) if keys else (rank, rank_args)


def search_rank_sql(q: str) -> tuple[str, list]:
    """The rank of apps.cases.selectors._search_rank, hand-written: per name word, 2 when a
    name column's keyed hash is the word's, 1 when it is the word's in the other script."""
    from apps.cases.identity import latin_spelling, russian_cyrillic
    from apps.cases.search import name_hash

    parts, args = [], []
    columns = ("p.family_name_hash", "p.given_name_hash", "p.middle_name_hash")
    for term in (q or "").split()[:6]:
        if any(ch.isdigit() for ch in term):
            continue
        exact = name_hash(term)
        other = sorted(
            {name_hash(v) for v in (russian_cyrillic(term), latin_spelling(term)) if v} - {exact}
        )
        part = "CASE WHEN " + " OR ".join(f"{c} = %s" for c in columns) + " THEN 2"
        args += [exact] * len(columns)
        if other:
            marks = ", ".join(["%s"] * len(other))
            part += " WHEN " + " OR ".join(f"{c} IN ({marks})" for c in columns) + " THEN 1"
            args += other * len(columns)
        parts.append(part + " ELSE 0 END")
    return "(" + " + ".join(parts) + ")" if parts else "", args


def case_detail(conn, *, token, case_id, lock_key) -> int | None:
    with conn.cursor() as cur:
        user = _user(cur, token)
        scope, scope_args = case_scope(user)
        cur.execute(
            f"SELECT {LIST_COLUMNS} FROM cases_case c JOIN cases_person p ON p.id = c.person_id "  # noqa: S608
            f"WHERE c.id = %s AND {scope}",
            [case_id, *scope_args],
        )
        row = cur.fetchone()
        cur.execute(
            "SELECT * FROM cases_identitydocument WHERE case_id = %s ORDER BY kind, id", [case_id]
        )
        cur.fetchall()
        cur.execute(
            "SELECT * FROM cases_employment WHERE case_id = %s ORDER BY started_on DESC, id DESC",
            [case_id],
        )
        cur.fetchall()
        _audit(cur, lock_key, user, "read", "cases.case", case_id, {})
    conn.commit()
    return row[0] if row else None


def screening_create(conn, *, token, case_id, answers, result, lock_key) -> int:
    with conn.cursor() as cur:
        user = _user(cur, token)
        scope, scope_args = case_scope(user)
        cur.execute(
            f"SELECT c.id, c.status FROM cases_case c WHERE c.id = %s AND {scope} FOR UPDATE",  # noqa: S608
            [case_id, *scope_args],
        )
        cur.fetchone()
        cur.execute(
            "INSERT INTO screening_screening (version, case_id, screened_by_id, status, answers, "
            "debt_currency, debt_creditor, interview_language, interpreter_used, consent_given, "
            "catalogue_version, result, trafficking, forced_labour, debt_coercion, completed_at, "
            "inspector_certified, created_at, indicator_list) VALUES (1, %s, %s, 'complete', %s, "
            "'', '', 'ru', false, true, %s, %s, %s, %s, %s, now(), true, now(), '') RETURNING id",
            [
                case_id,
                user[0],
                json.dumps(answers),
                "bench",
                json.dumps(result["result"]),
                result["trafficking"],
                result["forced_labour"],
                result["debt_coercion"],
            ],
        )
        screening_id = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO cases_caseevent (case_id, at, actor_id, kind, data) "
            "VALUES (%s, now(), %s, 'screening_completed', %s)",
            [case_id, user[0], json.dumps({"screening_id": screening_id})],
        )
        cur.execute(
            "UPDATE cases_case SET risk_level = %s, version = version + 1 WHERE id = %s",
            [result["risk_level"], case_id],
        )
        _audit(cur, lock_key, user, "create", "screening.screening", screening_id, {})
    conn.commit()
    return screening_id


def removal_decide(conn, *, token, removal_id, lock_key) -> None:
    with conn.cursor() as cur:
        user = _user(cur, token)
        scope, scope_args = case_scope(user)
        cur.execute(
            "SELECT r.id, r.case_id, r.version FROM removals_removal r "  # noqa: S608
            f"JOIN cases_case c ON c.id = r.case_id WHERE r.id = %s AND {scope} FOR UPDATE",
            [removal_id, *scope_args],
        )
        _id, case_id, version = cur.fetchone()
        cur.execute(
            "SELECT id, trafficking FROM screening_screening WHERE case_id = %s AND "
            "status = 'complete' ORDER BY completed_at DESC, id DESC LIMIT 1",
            [case_id],
        )
        latest = cur.fetchone()
        cur.execute(
            "UPDATE removals_removal SET status = 'decided_remove', decision = 'remove', "
            "decided_at = now(), decided_by_id = %s, screening_at_decision_id = %s, "
            "screened_before_decision = %s, version = version + 1 WHERE id = %s AND version = %s",
            [user[0], latest[0] if latest else None, latest is not None, removal_id, version],
        )
        cur.execute(
            "INSERT INTO cases_caseevent (case_id, at, actor_id, kind, data) "
            "VALUES (%s, now(), %s, 'removal_decided', %s)",
            [case_id, user[0], json.dumps({"removal_id": removal_id})],
        )
        _audit(cur, lock_key, user, "decide", "removals.removal", removal_id, {})
    conn.commit()


def attendance_import(conn, *, admin_id, session_id, rows, lock_key) -> int:
    """rows: (username, passed, score); unknown usernames are an error, as in the service."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, username FROM accounts_user WHERE role = 'inspector' AND is_active "
            "AND username = ANY(%s)",
            [[r[0] for r in rows]],
        )
        ids = dict((name, uid) for uid, name in cur.fetchall())
        cur.executemany(
            "INSERT INTO training_attendance (session_id, inspector_id, passed, score, "
            "recorded_by_id, recorded_at) VALUES (%s, %s, %s, %s, %s, now()) "
            "ON CONFLICT (session_id, inspector_id) DO UPDATE SET passed = EXCLUDED.passed, "
            "score = EXCLUDED.score",
            [(session_id, ids[name], passed, score, admin_id) for name, passed, score in rows],
        )
        _audit(
            cur, lock_key, (admin_id, "administrator", None), "create", "training", session_id, {}
        )
    conn.commit()
    return len(rows)


# --- the annual report ----------------------------------------------------------------------
# The same work as apps.reports.services.report_build: the requested year's metrics from the
# data (hand-written: one CTE for the latest screening per case, GROUPING SETS for the
# breakdowns) and the kept scalar metrics of earlier years (reports_yearmetrics).

# Each presumed victim's case with its latest complete screening of the year (and the age that
# screening recorded): the metrics' _latest_screenings filtered to presumed victims.
PRESUMED_CTE = """
        WITH presumed AS (
          SELECT s.case_id, s.person_age AS age FROM screening_screening s
          WHERE s.status = 'complete' AND s.completed_at >= %(start)s AND s.completed_at < %(end)s
            AND s.trafficking = 'presumed_victim'
            AND (%(region)s = '' OR s.case_id IN (
              SELECT id FROM cases_case WHERE region = %(region)s))
            AND NOT EXISTS (
              SELECT 1 FROM screening_screening l WHERE l.case_id = s.case_id
                AND l.status = 'complete' AND l.completed_at >= %(start)s
                AND l.completed_at < %(end)s AND (l.completed_at, l.id) > (s.completed_at, s.id))
        )"""

YEAR_SQL = {
    "first_year": """
        SELECT LEAST(
          (SELECT MIN(completed_at) FROM screening_screening),
          (SELECT MIN(decided_at) FROM removals_removal),
          (SELECT MIN(suspended_at) FROM removals_removal),
          (SELECT MIN(sent_at) FROM referrals_referral),
          (SELECT MIN(accepted_at) FROM referrals_referral),
          (SELECT MIN(completed_at) FROM referrals_referral)),
          LEAST((SELECT MIN(identified_on) FROM cases_case),
                (SELECT MIN(opened_on) FROM proceedings_proceeding),
                (SELECT MIN(prosecuted_on) FROM proceedings_proceeding),
                (SELECT MIN(convicted_on) FROM proceedings_proceeding),
                (SELECT MIN(date) FROM training_trainingsession))""",
    "kept": """
        SELECT year, metrics FROM reports_yearmetrics
        WHERE region = %(region)s AND year < %(year)s AND computed_at >= %(fresh)s""",
    "prosecution": """
        SELECT COUNT(*) FILTER (WHERE opened_on BETWEEN %(first)s AND %(last)s),
               COUNT(*) FILTER (WHERE prosecuted_on BETWEEN %(first)s AND %(last)s),
               COUNT(*) FILTER (WHERE convicted_on BETWEEN %(first)s AND %(last)s),
               COUNT(*) FILTER (WHERE opened_on BETWEEN %(first)s AND %(last)s
                                AND official_complicity)
        FROM proceedings_proceeding pr
        WHERE %(region)s = '' OR pr.id IN (
          SELECT pc.proceeding_id FROM proceedings_proceeding_cases pc
          JOIN cases_case c ON c.id = pc.case_id WHERE c.region = %(region)s)""",
    "screening": """
        SELECT COUNT(*),
               COUNT(*) FILTER (WHERE s.trafficking = 'presumed_victim'),
               COUNT(*) FILTER (WHERE s.trafficking = 'possible_victim'),
               COUNT(*) FILTER (WHERE s.trafficking = 'presumed_victim' AND EXISTS (
                 SELECT 1 FROM referrals_referral f WHERE f.case_id = s.case_id
                   AND f.sent_at >= flag.at AND f.sent_at <= flag.at + %(within)s))
        FROM screening_screening s
        LEFT JOIN LATERAL (
          SELECT MIN(p.completed_at) AS at FROM screening_screening p
          WHERE s.trafficking = 'presumed_victim' AND p.case_id = s.case_id
            AND p.status = 'complete' AND p.trafficking = 'presumed_victim'
            AND p.completed_at >= %(start)s AND p.completed_at < %(end)s) flag ON true
        WHERE s.status = 'complete' AND s.completed_at >= %(start)s AND s.completed_at < %(end)s
          AND (%(region)s = '' OR s.case_id IN (SELECT id FROM cases_case WHERE region = %(region)s))
          AND NOT EXISTS (
            SELECT 1 FROM screening_screening l WHERE l.case_id = s.case_id
              AND l.status = 'complete' AND l.completed_at >= %(start)s AND l.completed_at < %(end)s
              AND (l.completed_at, l.id) > (s.completed_at, s.id))""",
    "flags": """
        SELECT COUNT(DISTINCT case_id) FILTER (WHERE forced_labour),
               COUNT(DISTINCT case_id) FILTER (WHERE debt_coercion)
        FROM screening_screening
        WHERE status = 'complete' AND completed_at >= %(start)s AND completed_at < %(end)s
          AND (%(region)s = '' OR case_id IN (SELECT id FROM cases_case WHERE region = %(region)s))""",
    "identified": """
        SELECT COUNT(DISTINCT person_id) FROM protection_identification
        WHERE outcome = 'identified' AND decided_on BETWEEN %(first)s AND %(last)s
          AND (%(region)s = '' OR case_id IN (SELECT id FROM cases_case WHERE region = %(region)s))""",
    "removals": """
        SELECT COUNT(*) FILTER (WHERE decided), COUNT(*) FILTER (WHERE decided AND screened),
               COUNT(*) FILTER (WHERE decided AND decision = 'remove'
                                AND r.protected_at_decision),
               COUNT(*) FILTER (WHERE suspended_at >= %(start)s AND suspended_at < %(end)s)
        FROM (SELECT r.*, r.screened_before_decision AS screened,
                     (r.decided_at >= %(start)s AND r.decided_at < %(end)s
                      AND r.status IN ('decided_remove', 'decided_no_removal')) AS decided
              FROM removals_removal r
              WHERE ((r.decided_at >= %(start)s AND r.decided_at < %(end)s)
                     OR (r.suspended_at >= %(start)s AND r.suspended_at < %(end)s))
                AND (%(region)s = '' OR r.case_id IN (
                  SELECT id FROM cases_case WHERE region = %(region)s))) r""",
    "referrals": """
        SELECT COUNT(*) FILTER (WHERE sent_at >= %(start)s AND sent_at < %(end)s),
               COUNT(*) FILTER (WHERE accepted_at >= %(start)s AND accepted_at < %(end)s),
               COUNT(*) FILTER (WHERE completed_at >= %(start)s AND completed_at < %(end)s)
        FROM referrals_referral
        WHERE ((sent_at >= %(start)s AND sent_at < %(end)s)
               OR (accepted_at >= %(start)s AND accepted_at < %(end)s)
               OR (completed_at >= %(start)s AND completed_at < %(end)s))
          AND (%(region)s = '' OR case_id IN (SELECT id FROM cases_case WHERE region = %(region)s))""",
    "partnership": """
        SELECT sv.service_type, COUNT(*), COUNT(DISTINCT f.receiving_organization_id)
                 FILTER (WHERE o.kind = 'ngo'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY f.accepted_at - f.sent_at)
                 FILTER (WHERE f.accepted_at >= f.sent_at)
        FROM referrals_referral f JOIN referrals_service sv ON sv.id = f.service_id
        JOIN accounts_organization o ON o.id = f.receiving_organization_id
        WHERE f.sent_at >= %(start)s AND f.sent_at < %(end)s
          AND (%(region)s = '' OR f.case_id IN (SELECT id FROM cases_case WHERE region = %(region)s))
        GROUP BY ROLLUP (sv.service_type)""",
    "breakdowns": PRESUMED_CTE
    + """, identified AS (
          SELECT c.id AS case_id,
                 (SELECT s2.person_age FROM screening_screening s2
                  WHERE s2.case_id = c.id AND s2.status = 'complete' AND s2.completed_at < %(end)s
                  ORDER BY s2.completed_at DESC, s2.id DESC LIMIT 1) AS age
          FROM cases_case c
          WHERE c.id IN (
              SELECT DISTINCT ON (i.person_id) i.case_id FROM protection_identification i
              WHERE i.outcome = 'identified' AND i.decided_on BETWEEN %(first)s AND %(last)s
              ORDER BY i.person_id, i.id)
            AND (%(region)s = '' OR c.region = %(region)s)
        ), groups AS (
          SELECT 'presumed' AS g, * FROM presumed UNION ALL SELECT 'identified', * FROM identified
        ), aged AS (
          SELECT g, p.sex, p.citizenship, c.sector, c.region,
            CASE WHEN age IS NULL THEN 'unknown' WHEN age < 18 THEN '0-17' WHEN age < 26 THEN '18-25'
                 WHEN age < 36 THEN '26-35' WHEN age < 51 THEN '36-50' ELSE '51+' END AS age_group
          FROM groups JOIN cases_case c ON c.id = groups.case_id
          JOIN cases_person p ON p.id = c.person_id
        )
        SELECT g, sex, age_group, citizenship, sector, region, COUNT(*)
        FROM aged GROUP BY GROUPING SETS
          ((g, sex), (g, age_group), (g, citizenship), (g, sector), (g, region))""",
    # Presumed victims' cases with a case plan in time and their first acceptance after the
    # flag (apps.reports.metrics._plan_and_acceptance); grouped into persons by the caller.
    "plans": PRESUMED_CTE
    + """, flagged AS (
          SELECT p.case_id, (
            SELECT f.completed_at FROM screening_screening f
            WHERE f.case_id = p.case_id AND f.status = 'complete'
              AND f.trafficking = 'presumed_victim'
              AND f.completed_at >= %(start)s AND f.completed_at < %(end)s
            ORDER BY f.completed_at LIMIT 1) AS flag_at
          FROM presumed p
        )
        SELECT c.person_id,
               EXISTS (SELECT 1 FROM caseplans_caseplan cp WHERE cp.case_id = f.case_id
                       AND cp.created_at <= f.flag_at + %(plan_within)s),
               (SELECT MIN(r.accepted_at) FROM referrals_referral r
                WHERE r.case_id = f.case_id AND r.accepted_at >= f.flag_at) - f.flag_at
        FROM flagged f JOIN cases_case c ON c.id = f.case_id""",
    "training": """
        SELECT COUNT(*), SUM(hours), (
          SELECT COUNT(DISTINCT a.inspector_id) FROM training_attendance a
          JOIN training_trainingsession t ON t.id = a.session_id
          WHERE t.date BETWEEN %(first)s AND %(last)s)
        FROM training_trainingsession WHERE date BETWEEN %(first)s AND %(last)s""",
    "inspectors": """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM training_attendance a JOIN training_trainingsession t ON t.id = a.session_id
          WHERE a.inspector_id = u.id AND a.passed AND t.date <= %(last)s
            AND t.topic IN ('victim_identification', 'forced_labour_indicators')
            AND t.date >= %(qualifying)s))
        FROM accounts_user u LEFT JOIN accounts_organization o ON o.id = u.organization_id
        WHERE u.role = 'inspector' AND u.is_active AND u.date_joined < %(end)s
          AND (%(region)s = '' OR o.region = %(region)s)""",
}


def annual_report(
    conn,
    *,
    year: int,
    region: str,
    tz: str,
    within_days: int,
    max_age,
    qualifying: date,
    plan_within_days: int = 7,
) -> dict:
    """The requested year's metrics and the kept earlier years, as report_build reads them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    params = {
        "region": region or "",
        "year": year,
        "start": datetime(year, 1, 1, tzinfo=zone),
        "end": datetime(year + 1, 1, 1, tzinfo=zone),
        "first": date(year, 1, 1),
        "last": date(year, 12, 31),
        "within": timedelta(days=within_days),
        "plan_within": timedelta(days=plan_within_days),
        "fresh": datetime.now(zone) - max_age,
        "qualifying": qualifying,
    }
    out = {}
    with conn.cursor() as cur:
        for name, sql in YEAR_SQL.items():
            cur.execute(sql, params)
            out[name] = cur.fetchall()
    conn.commit()
    return out


def duplicate_candidates(pg, *, keys: list[str]) -> list[int]:
    """The duplicate check's SQL floor: candidates under the keyed hashes (at most 200, most keys shared first), their
    encrypted rows and their cases."""
    with pg.cursor() as cur:
        cur.execute(
            "SELECT person_id FROM cases_personmatchkey WHERE key = ANY(%s) "
            "GROUP BY person_id ORDER BY COUNT(*) DESC, person_id LIMIT 200",
            [keys],
        )
        people = [row[0] for row in cur.fetchall()]
        cur.execute(
            "SELECT id, given_name, family_name, middle_name, date_of_birth, sex, citizenship "
            "FROM cases_person WHERE id = ANY(%s)",
            [people],
        )
        cur.fetchall()
        cur.execute(
            "SELECT id, organization_id FROM cases_case WHERE person_id = ANY(%s)", [people]
        )
        return [row[0] for row in cur.fetchall()]
