"""The access matrix: who may see and do what, for every API endpoint and every page.

Each row is one request (method, URL, optional body) and the status every persona gets.
`{case_a}` and friends are records of the world in `matrix_data.py`: NGO A owns them, so
`caseworker_a` is the owning organisation and `caseworker_b` another organisation; `inspector`
screened NGO A's case, `inspector_b` belongs to another inspectorate.

The rules (docs/security.md, "Roles and access"):
- a record the user may not see answers 404, never 403, so that its existence is not revealed;
- an action the user's role may not perform answers 403 (for a record they can see, or for any
  record when the role may never perform it);
- anonymous API requests answer 401; anonymous page requests redirect (302) to the sign-in page;
- auditors read (200) and never write (403); reports are for administrators and auditors only;
- caseworkers have no training pages (403);
- the receiving organisation of a referral sees the referral, never the case behind it (404).

Writes send the smallest body that reaches the authorisation check: an empty body where the
permission is checked first (allowed: 400), a valid body where the body is validated first.
Every request runs in its own transaction, rolled back afterwards, on one world built per module.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from tests.security import matrix_data
from tests.security.matrix_data import PERSONAS

Body = dict | list | None


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    expected: dict[str, int]
    body: Any = None  # a dict or list, or a function of the world giving one

    def data(self, world) -> Body:
        return self.body(world) if callable(self.body) else self.body

    def path(self, world) -> str:
        return self.url.format(**world.ids)


def R(method, url, anonymous, cw_a, cw_b, insp, insp_b, admin, auditor, body=None) -> Row:
    statuses = (anonymous, cw_a, cw_b, insp, insp_b, admin, auditor)
    return Row(method, url, dict(zip(PERSONAS, statuses, strict=True)), body)


def version(name: str, **extra):
    """A body naming the record's current version (and any other fields)."""
    return lambda w: {"version": w.versions[name], **extra}


def case_body(w) -> dict:
    return {
        "person": {"given_name": "Timur", "family_name": "Aliev", "sex": "male",
                   "date_of_birth": "1992-02-02", "citizenship": "KG", "languages": ["ru"]},
        "region": "astana", "sector": "trade", "identified_via": "hotline",
    }  # fmt: skip


DOCUMENT = {"kind": "migration_card", "number": "MC777", "held_by": "self"}
EMPLOYMENT = {"employer": "Market stall", "sector": "trade"}
SERVICE = {"service_type": "psychosocial", "name": "Counselling", "regions": ["astana"],
           "languages": ["ru"]}  # fmt: skip
SESSION = {"title": "Non-punishment", "topic": "non_punishment", "date": "2025-05-05",
           "hours": "3", "trainer_organization": "IOM", "language": "ru"}  # fmt: skip


def referral_body(w) -> dict:
    return {"case": w.ids["case_a"], "service": w.ids["legal_b"], "consent_given": True,
            "reason": "Needs legal advice."}  # fmt: skip


def refusal_body(w) -> dict:
    return {"case": w.ids["case_a"], "refused_on": "2026-02-05", "informed_of_rights": True}


def _soon() -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=3)).isoformat()


def task_body(w) -> dict:
    return {"case": w.ids["case_a"], "title": "Book an interpreter", "due_on": _soon()}


def follow_up_body(w) -> dict:
    return {"case": w.ids["case_a"], "kind": "visit", "planned_on": _soon()}


def follow_up_record_body(w) -> dict:
    from django.utils import timezone

    return {"version": w.versions["follow_up_a"], "done_on": timezone.localdate().isoformat()}


def proceeding_body(w) -> dict:
    return {"cases": [w.ids["case_a"]], "exploitation": "labour", "opened_on": "2026-02-03"}


def proceeding_put(w) -> dict:
    return {**proceeding_body(w), "version": w.versions["proceeding_a"]}


# ---------------------------------------------------------------------------------------------
# The API. Columns: anonymous, caseworker_a (NGO A, owner), caseworker_b (NGO B), inspector
# (screened NGO A's case), inspector_b (other inspectorate), administrator, auditor.
# ---------------------------------------------------------------------------------------------
# fmt: off
API = [
    #  method   URL                                                        anon cw_a cw_b insp in_b admn audt
    R("POST",  "/api/v1/auth/token/",                                      400, 400, 400, 400, 400, 400, 400, body={}),  # noqa: E501
    R("POST",  "/api/v1/auth/logout/",                                     401, 204, 204, 204, 204, 204, 204, body={}),  # noqa: E501
    R("GET",   "/api/v1/auth/tokens/",                                     401, 200, 200, 200, 200, 200, 200),
    R("DELETE", "/api/v1/auth/tokens/{token_a}/",                          401, 204, 404, 404, 404, 404, 404),
    R("GET",   "/api/v1/me/",                                              401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/users/",                                           401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/users/{caseworker_a}/",                            401, 200, 404, 404, 404, 200, 200),
    R("GET",   "/api/v1/organizations/",                                   401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/organizations/{ngo_a}/",                           401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/audit/",                                           401, 403, 403, 403, 403, 200, 200),
    R("GET",   "/api/v1/audit/{audit_entry}/",                             401, 403, 403, 403, 403, 200, 200),
    # cases
    R("GET",   "/api/v1/cases/",                                           401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/cases/",                                           401, 201, 201, 201, 201, 403, 403, body=case_body),  # noqa: E501
    R("POST",  "/api/v1/cases/duplicates/",                                401, 200, 200, 200, 200, 200, 403, body={}),  # noqa: E501
    R("GET",   "/api/v1/cases/{case_a}/",                                  401, 200, 404, 200, 404, 200, 200),
    R("PATCH", "/api/v1/cases/{case_a}/",                                  401, 200, 404, 403, 404, 200, 403, body=version("case_a")),  # noqa: E501
    R("POST",  "/api/v1/cases/{case_a}/close/",                            401, 200, 404, 403, 404, 200, 403, body=version("case_a", outcome="Returned home.")),  # noqa: E501
    R("POST",  "/api/v1/cases/{case_a}/reopen/",                           401, 409, 404, 403, 404, 409, 403, body=version("case_a")),  # noqa: E501
    R("GET",   "/api/v1/cases/{case_a}/same-person/",                      401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/cases/{case_a}/same-person/",                      401, 400, 404, 403, 404, 400, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/person-links/{no_link}/undo/",                     401, 404, 404, 404, 404, 404, 403),
    R("GET",   "/api/v1/cases/{case_a}/documents/",                        401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/cases/{case_a}/documents/",                        401, 201, 404, 403, 404, 201, 403, body=DOCUMENT),  # noqa: E501
    R("PATCH", "/api/v1/cases/{case_a}/documents/{document_a}/",           401, 200, 404, 403, 404, 200, 403, body=version("document_a")),  # noqa: E501
    R("GET",   "/api/v1/cases/{case_a}/employment/",                       401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/cases/{case_a}/employment/",                       401, 201, 404, 403, 404, 201, 403, body=EMPLOYMENT),  # noqa: E501
    R("PATCH", "/api/v1/cases/{case_a}/employment/{employment_a}/",        401, 200, 404, 403, 404, 200, 403, body=version("employment_a")),  # noqa: E501
    R("GET",   "/api/v1/cases/{case_a}/notes/",                            401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/cases/{case_a}/notes/",                            401, 201, 404, 403, 404, 201, 403, body={"text": "Called back."}),  # noqa: E501
    R("GET",   "/api/v1/cases/{case_a}/timeline/",                         401, 200, 404, 200, 404, 200, 200),
    # screening
    R("GET",   "/api/v1/indicators/",                                      401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/screenings/",                                      401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/screenings/",                                      401, 400, 400, 400, 400, 403, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/screenings/",                                      401, 201, 400, 201, 400, 403, 403, body=lambda w: {"case": w.ids["case_a"], "status": "draft"}),  # noqa: E501
    R("GET",   "/api/v1/screenings/{screening_a}/",                        401, 200, 404, 200, 404, 200, 200),
    R("PATCH", "/api/v1/screenings/{draft_a}/",                            401, 200, 404, 403, 404, 403, 403, body=version("draft_a")),  # noqa: E501
    R("POST",  "/api/v1/screenings/{draft_a}/complete/",                   401, 200, 404, 403, 404, 403, 403, body=version("draft_a")),  # noqa: E501
    # removals
    R("GET",   "/api/v1/removals/",                                        401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/removals/",                                        401, 403, 403, 400, 400, 403, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/removals/",                                        401, 403, 403, 201, 400, 403, 403, body=lambda w: {"case": w.ids["case_a"], "grounds": "overstay"}),  # noqa: E501
    R("GET",   "/api/v1/removals/{removal_a}/",                            401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/removals/{removal_a}/decide/",                     401, 403, 403, 400, 404, 400, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/removals/{removal_a}/override/",                   401, 403, 403, 403, 403, 400, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/removals/{removal_a}/identity-check/",             401, 403, 403, 400, 404, 400, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/removals/{removal_a}/enforce/",                    401, 403, 403, 409, 404, 409, 403, body={}),  # noqa: E501
    # protection
    R("GET",   "/api/v1/identifications/",                                 401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/identifications/",                                 401, 403, 403, 403, 403, 400, 403, body={}),  # noqa: E501
    R("GET",   "/api/v1/identifications/{identification_b}/",              401, 404, 200, 404, 200, 200, 200),
    R("POST",  "/api/v1/protection/grounds/",                              401, 400, 400, 400, 400, 400, 403, body={}),  # noqa: E501
    R("GET",   "/api/v1/protection/history/{case_a}/",                     401, 200, 404, 200, 404, 200, 200),
    # services and referrals
    R("GET",   "/api/v1/services/",                                        401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/services/",                                        401, 201, 201, 201, 201, 400, 403, body=SERVICE),  # noqa: E501
    R("GET",   "/api/v1/services/matches/?case={case_a}",                  401, 200, 404, 200, 404, 200, 200),
    R("GET",   "/api/v1/services/{shelter_b}/",                            401, 200, 200, 200, 200, 200, 200),
    R("PUT",   "/api/v1/services/{shelter_b}/",                            401, 403, 200, 403, 403, 200, 403, body=lambda w: {**SERVICE, "version": w.versions["shelter_b"]}),  # noqa: E501
    R("PATCH", "/api/v1/services/{shelter_b}/",                            401, 403, 200, 403, 403, 200, 403, body=version("shelter_b")),  # noqa: E501
    R("GET",   "/api/v1/referrals/",                                       401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/referrals/",                                       401, 201, 400, 201, 400, 403, 403, body=referral_body),  # noqa: E501
    R("GET",   "/api/v1/referrals/{referral_ab}/",                         401, 200, 200, 404, 404, 200, 200),
    R("GET",   "/api/v1/referrals/{referral_ac}/",                         401, 200, 404, 404, 404, 200, 200),
    R("POST",  "/api/v1/referrals/{referral_ab}/accept/",                  401, 403, 200, 404, 404, 403, 403, body={}),  # noqa: E501
    R("POST",  "/api/v1/referrals/{referral_ab}/decline/",                 401, 403, 200, 404, 404, 403, 403, body={"reason": "No places."}),  # noqa: E501
    R("POST",  "/api/v1/referrals/{referral_ab}/complete/",                401, 403, 409, 404, 404, 403, 403, body={"outcome": "Housed."}),  # noqa: E501
    R("POST",  "/api/v1/referrals/{referral_ab}/withdraw/",                401, 200, 403, 404, 404, 403, 403, body={}),  # noqa: E501
    R("GET",   "/api/v1/assistance-refusals/",                             401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/assistance-refusals/",                             401, 201, 400, 403, 403, 201, 403, body=refusal_body),  # noqa: E501
    R("GET",   "/api/v1/assistance-refusals/{refusal_a}/",                 401, 200, 404, 200, 404, 200, 200),
    # criminal proceedings
    R("GET",   "/api/v1/proceedings/",                                     401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/proceedings/",                                     401, 201, 400, 201, 400, 201, 403, body=proceeding_body),  # noqa: E501
    R("GET",   "/api/v1/proceedings/{proceeding_a}/",                      401, 200, 404, 200, 404, 200, 200),
    R("PUT",   "/api/v1/proceedings/{proceeding_a}/",                      401, 200, 404, 403, 404, 200, 403, body=proceeding_put),  # noqa: E501
    R("PATCH", "/api/v1/proceedings/{proceeding_a}/",                      401, 200, 404, 403, 404, 200, 403, body=version("proceeding_a")),  # noqa: E501
    # tasks and follow-ups
    R("GET",   "/api/v1/tasks/",                                           401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/tasks/",                                           401, 201, 400, 403, 400, 201, 403, body=task_body),  # noqa: E501
    R("GET",   "/api/v1/tasks/{task_a}/",                                  401, 200, 404, 200, 404, 200, 200),
    R("PATCH", "/api/v1/tasks/{task_a}/",                                  401, 200, 404, 403, 404, 200, 403, body=version("task_a")),  # noqa: E501
    # case plans (docs/caseplans.md), addressed by the case
    R("GET",   "/api/v1/case-plans/",                                      401, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/v1/case-plans/{case_a}/",                             401, 200, 404, 200, 404, 200, 200),
    R("PUT",   "/api/v1/case-plans/{case_a}/",                             401, 200, 404, 403, 404, 200, 403, body=version("plan_a", needs=[{"area": "health", "level": "none"}])),  # noqa: E501
    R("POST",  "/api/v1/case-plans/{case_a}/goals/",                       401, 200, 404, 403, 404, 200, 403, body=lambda w: {"version": w.versions["plan_a"], "area": "legal", "description": "New papers", "due_on": _soon()}),  # noqa: E501
    R("POST",  "/api/v1/case-plans/{case_a}/goals/{goal_a}/status/",       401, 200, 404, 403, 404, 200, 403, body=version("plan_a", status="achieved")),  # noqa: E501
    R("POST",  "/api/v1/case-plans/{case_a}/goals/{goal_a}/actions/",      401, 200, 404, 403, 404, 200, 403, body=lambda w: {"version": w.versions["plan_a"], "description": "Book a place", "due_on": _soon()}),  # noqa: E501
    R("POST",  "/api/v1/case-plans/{case_a}/actions/{action_a}/done/",     401, 200, 404, 403, 404, 200, 403, body=version("plan_a")),  # noqa: E501
    # Completing needs every area assessed: allowed users reach the rule (400).
    R("POST",  "/api/v1/case-plans/{case_a}/complete/",                    401, 400, 404, 403, 404, 400, 403, body=version("plan_a")),  # noqa: E501
    R("GET",   "/api/v1/followups/",                                       401, 200, 200, 200, 200, 200, 200),
    R("POST",  "/api/v1/followups/",                                       401, 201, 400, 403, 400, 201, 403, body=follow_up_body),  # noqa: E501
    R("GET",   "/api/v1/followups/{follow_up_a}/",                         401, 200, 404, 200, 404, 200, 200),
    R("POST",  "/api/v1/followups/{follow_up_a}/record/",                  401, 200, 404, 403, 404, 200, 403, body=follow_up_record_body),  # noqa: E501
    R("POST",  "/api/v1/followups/{follow_up_a}/cancel/",                  401, 200, 404, 403, 404, 200, 403, body=version("follow_up_a")),  # noqa: E501
    # training
    R("GET",   "/api/v1/training-sessions/",                               401, 403, 403, 200, 200, 200, 200),
    R("POST",  "/api/v1/training-sessions/",                               401, 403, 403, 403, 403, 201, 403, body=SESSION),  # noqa: E501
    R("GET",   "/api/v1/training-sessions/{session_1}/",                   401, 403, 403, 200, 404, 200, 200),
    R("PUT",   "/api/v1/training-sessions/{session_1}/",                   401, 403, 403, 403, 403, 200, 403, body=lambda w: {**SESSION, "version": w.versions["session_1"]}),  # noqa: E501
    R("PATCH", "/api/v1/training-sessions/{session_1}/",                   401, 403, 403, 403, 403, 200, 403, body=version("session_1")),  # noqa: E501
    R("GET",   "/api/v1/training-sessions/{session_1}/attendance/",        401, 403, 403, 200, 404, 200, 200),
    R("POST",  "/api/v1/training-sessions/{session_1}/attendance/",        401, 403, 403, 403, 403, 400, 403, body=[]),  # noqa: E501
    R("GET",   "/api/v1/inspectors/",                                      401, 403, 403, 200, 200, 200, 200),
    R("GET",   "/api/v1/inspectors/{inspector}/",                          401, 403, 403, 200, 404, 200, 200),
    # reports
    R("GET",   "/api/v1/reports/annual/{year}/",                           401, 403, 403, 403, 403, 200, 200),
]

# ---------------------------------------------------------------------------------------------
# The pages. Anonymous visitors are sent to the sign-in page (302). Other 302s are the page's
# own redirect (a form that was not filled in goes back, an inspector's training lands on
# "My training").
# ---------------------------------------------------------------------------------------------
PAGES = [
    #  method   URL                                                        anon cw_a cw_b insp in_b admn audt
    R("GET",   "/",                                                        302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/health/",                                                 200, 200, 200, 200, 200, 200, 200),
    R("GET",   "/accounts/login/",                                         200, 302, 302, 302, 302, 302, 302),
    R("GET",   "/admin/login/",                                            302, 302, 302, 302, 302, 302, 302),
    R("GET",   "/accounts/login/code/",                                    302, 302, 302, 302, 302, 302, 302),
    R("GET",   "/accounts/two-factor/",                                    302, 200, 200, 200, 200, 200, 200),
    R("POST",  "/accounts/logout/",                                        302, 302, 302, 302, 302, 302, 302),
    R("GET",   "/accounts/password/",                                      302, 200, 200, 200, 200, 200, 200),
    R("POST",  "/accounts/language/",                                      302, 302, 302, 302, 302, 302, 302, body={"language": "en"}),  # noqa: E501
    R("GET",   "/accounts/team/",                                          302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/audit/",                                                  302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/audit/export.csv",                                        302, 403, 403, 403, 403, 200, 200),
    # cases
    R("GET",   "/cases/",                                                  302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/cases/new/",                                              302, 200, 200, 200, 200, 403, 403),
    R("POST",  "/cases/new/duplicates/",                                   302, 200, 200, 200, 200, 403, 403, body={}),  # noqa: E501
    R("GET",   "/cases/{case_a}/",                                         302, 200, 404, 200, 404, 200, 200),
    R("GET",   "/cases/{case_a}/edit/",                                    302, 200, 404, 403, 404, 200, 403),
    R("POST",  "/cases/{case_a}/notes/",                                   302, 302, 404, 403, 404, 302, 403, body={}),  # noqa: E501
    R("GET",   "/cases/{case_a}/documents/new/",                           302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/cases/{case_a}/documents/{document_a}/",                  302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/cases/{case_a}/employment/new/",                          302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/cases/{case_a}/employment/{employment_a}/",               302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/cases/{case_a}/close/",                                   302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/cases/{case_a}/reopen/",                                  302, 200, 404, 403, 404, 200, 403),
    R("POST",  "/cases/{case_a}/link/",                                    302, 302, 404, 403, 403, 302, 403, body={}),  # noqa: E501
    R("POST",  "/cases/{case_a}/links/{no_link}/undo/",                    302, 404, 404, 403, 403, 404, 403, body={}),  # noqa: E501
    # screening
    R("GET",   "/screening/",                                              302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/screening/catalogue/",                                    302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/screening/cases/{case_a}/new/",                           302, 200, 404, 200, 404, 403, 403),
    R("GET",   "/screening/{screening_a}/",                                302, 200, 404, 200, 404, 200, 200),
    R("GET",   "/screening/{draft_a}/edit/",                               302, 200, 404, 403, 404, 403, 403),
    # removals
    R("GET",   "/removals/",                                               302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/removals/{removal_a}/",                                   302, 200, 404, 200, 404, 200, 200),
    R("POST",  "/removals/{removal_a}/decide/",                            302, 403, 403, 302, 404, 302, 403, body={}),  # noqa: E501
    R("POST",  "/removals/{removal_a}/override/",                          302, 403, 403, 403, 403, 302, 403, body={}),  # noqa: E501
    R("POST",  "/removals/{removal_a}/identity-check/",                    302, 403, 403, 302, 404, 302, 403, body={}),  # noqa: E501
    R("POST",  "/removals/{removal_a}/enforce/",                           302, 403, 403, 302, 404, 302, 403, body={}),  # noqa: E501
    R("POST",  "/protection/cases/{case_a}/grounds/",                      302, 302, 404, 302, 404, 302, 403, body={}),  # noqa: E501
    R("POST",  "/protection/cases/{case_a}/identification/",               302, 403, 403, 403, 403, 302, 403, body={}),  # noqa: E501
    # identification_b has no file: a 404 for everyone (tests/protection reads one back)
    R("GET",   "/protection/identifications/{identification_b}/document/", 302, 404, 404, 404, 404, 404, 404),  # noqa: E501
    R("POST",  "/removals/cases/{case_a}/propose/",                        302, 403, 403, 302, 404, 403, 403, body={}),  # noqa: E501
    # referrals and services
    R("GET",   "/referrals/",                                              302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/referrals/{referral_ab}/",                                302, 200, 200, 404, 404, 200, 200),
    R("GET",   "/referrals/{referral_ac}/",                                302, 200, 404, 404, 404, 200, 200),
    R("POST",  "/referrals/{referral_ab}/accept/",                         302, 403, 302, 404, 404, 403, 403, body={}),  # noqa: E501
    R("POST",  "/referrals/{referral_ab}/decline/",                        302, 403, 302, 404, 404, 403, 403, body={"reason": "No places."}),  # noqa: E501
    R("POST",  "/referrals/{referral_ab}/complete/",                       302, 403, 302, 404, 404, 403, 403, body={"outcome": "Housed."}),  # noqa: E501
    R("POST",  "/referrals/{referral_ab}/withdraw/",                       302, 302, 403, 404, 404, 403, 403, body={}),  # noqa: E501
    R("GET",   "/referrals/cases/{case_a}/refer/",                         302, 200, 404, 200, 404, 403, 403),
    R("POST",  "/referrals/cases/{case_a}/assistance-refusals/",           302, 400, 404, 403, 403, 400, 403, body={}),  # noqa: E501
    R("GET",   "/referrals/services/",                                     302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/referrals/services/new/",                                 302, 200, 200, 200, 200, 200, 403),
    R("GET",   "/referrals/services/{shelter_b}/edit/",                    302, 403, 200, 403, 403, 200, 403),
    # tasks and follow-ups
    R("GET",   "/caseplans/cases/{case_a}/",                               302, 200, 404, 200, 404, 200, 200),
    R("POST",  "/caseplans/cases/{case_a}/",                               302, 400, 404, 403, 404, 400, 403, body=lambda w: {"action": "complete", "version": w.versions["plan_a"]}),  # noqa: E501
    R("GET",   "/caseplans/cases/{case_a}/pdf/",                           302, 200, 404, 200, 404, 200, 200),
    R("GET",   "/tasks/",                                                  302, 200, 200, 200, 200, 200, 403),
    R("GET",   "/tasks/team/",                                             302, 200, 200, 200, 200, 200, 403),
    R("POST",  "/tasks/{task_a}/done/",                                    302, 302, 404, 403, 404, 302, 403, body={}),  # noqa: E501
    R("POST",  "/tasks/{task_a}/cancel/",                                  302, 302, 404, 403, 404, 302, 403, body={}),  # noqa: E501
    R("GET",   "/tasks/cases/{case_a}/add/",                               302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/tasks/cases/{case_a}/follow-ups/plan/",                   302, 200, 404, 403, 404, 200, 403),
    R("GET",   "/tasks/follow-ups/{follow_up_a}/record/",                  302, 200, 404, 403, 404, 200, 403),
    # training
    R("GET",   "/training/",                                               302, 403, 403, 302, 302, 302, 302),
    R("GET",   "/training/sessions/",                                      302, 403, 403, 302, 302, 200, 200),
    R("GET",   "/training/sessions/new/",                                  302, 403, 403, 403, 403, 200, 403),
    R("GET",   "/training/sessions/{session_1}/",                          302, 403, 403, 200, 404, 200, 200),
    R("GET",   "/training/sessions/{session_1}/edit/",                     302, 403, 403, 403, 403, 200, 403),
    R("POST",  "/training/sessions/{session_1}/attendance/",               302, 403, 403, 403, 403, 302, 403, body={}),  # noqa: E501
    R("POST",  "/training/sessions/{session_1}/attendance/{attendance_1}/remove/", 302, 403, 403, 403, 403, 302, 403, body={}),  # noqa: E501
    R("GET",   "/training/sessions/{session_1}/import/",                   302, 403, 403, 403, 403, 200, 403),
    R("POST",  "/training/sessions/{session_1}/import/confirm/",           302, 403, 403, 403, 403, 302, 403, body={}),  # noqa: E501
    R("GET",   "/training/import-template.csv",                            302, 403, 403, 403, 403, 200, 403),
    R("GET",   "/training/inspectors/",                                    302, 403, 403, 200, 200, 200, 200),
    R("GET",   "/training/mine/",                                          302, 403, 403, 200, 200, 403, 403),
    # criminal proceedings
    R("GET",   "/proceedings/",                                            302, 200, 200, 200, 200, 200, 200),
    R("GET",   "/proceedings/new/",                                        302, 200, 200, 200, 200, 200, 403),
    R("GET",   "/proceedings/{proceeding_a}/",                             302, 200, 404, 200, 404, 200, 200),
    R("GET",   "/proceedings/{proceeding_a}/edit/",                        302, 200, 404, 403, 404, 200, 403),
    # reports
    R("GET",   "/reports/",                                                302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/reports/annual/",                                         302, 403, 403, 403, 403, 302, 302),
    R("GET",   "/reports/annual/{year}/",                                  302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/reports/annual/{year}.csv",                               302, 403, 403, 403, 403, 200, 200),
    R("POST",  "/reports/publish/",                                        302, 403, 403, 403, 403, 302, 403, body=lambda w: {"year": w.ids["year"]}),  # noqa: E501
    R("POST",  "/reports/waiver/",                                         302, 403, 403, 403, 403, 302, 403, body=lambda w: {"year": w.ids["year"], "justification": "Funding for shelters doubled this year."}),  # noqa: E501
    R("GET",   "/reports/published/",                                      302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/reports/published/{published}/",                          302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/reports/published/{published}.csv",                       302, 403, 403, 403, 403, 200, 200),
    R("POST",  "/reports/jobs/",                                           302, 403, 403, 403, 403, 302, 302, body={}),  # noqa: E501
    R("GET",   "/reports/jobs/{job}/",                                     302, 403, 403, 403, 403, 200, 200),
    R("GET",   "/reports/jobs/{job}/0.csv",                                302, 403, 403, 403, 403, 200, 200),
    # the API's own documentation
    R("GET",   "/api/schema/",                                             200, 200, 200, 200, 200, 200, 200),
    R("GET",   "/api/docs/",                                               200, 200, 200, 200, 200, 200, 200),
]
# fmt: on

# Named URLs that are not casemgr pages: Django's admin (staff only, its own login) and the
# language switcher of django.conf.urls.i18n (casemgr's own is accounts:set_language).
NOT_PAGES = {"admin", "set_language"}
APP_NAMESPACES = {
    "core", "accounts", "audit", "cases", "screening", "removals", "protection", "referrals", "training",
    "proceedings", "reports", "tasks", "caseplans",
}  # fmt: skip


# Pages anonymous visitors may use (they redirect elsewhere than the sign-in page).
PUBLIC = {"/accounts/language/"}

# Whose cases each persona must never meet, in any answer: the reference, and the family name
# (caseworker_b meets the name of NGO A's client: the referral shares it, with consent).
NEVER_SHOWN = {
    "anonymous": ["case_a", "case_b", "case_i", "Karimov", "Rahimova", "Nazarov"],
    "caseworker_a": ["case_b", "case_i", "Rahimova", "Nazarov"],
    "caseworker_b": ["case_a", "case_i", "Nazarov"],
    "inspector": ["case_b", "Rahimova"],
    "inspector_b": ["case_a", "case_i", "Karimov", "Nazarov"],
    "administrator": [],
    "auditor": [],
}


def _never_shown(world, persona) -> list[str]:
    return [world.references.get(item, item) for item in NEVER_SHOWN[persona]]


# --- the world --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module inside a transaction that is rolled back at the end;
    each test runs in a savepoint of its own inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield matrix_data.build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(kind: str, user):
    if kind == "api":
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send(kind: str, row: Row, world, user):
    client = _client(kind, user)
    path = row.path(world)
    data = row.data(world)
    method = getattr(client, row.method.lower())
    if kind == "api":
        return method(path, data, format="json") if data is not None else method(path)
    return method(path, data) if data is not None else method(path)


def _cases(rows):
    for row in rows:
        for persona in PERSONAS:
            yield pytest.param(
                row,
                persona,
                id=f"{row.method} {row.url} as {persona} -> {row.expected[persona]}",
            )


def _check(kind, row, persona, world):
    response = _send(kind, row, world, world.users[persona])
    expected = row.expected[persona]
    body = b"" if response.streaming else response.content[:300]
    assert response.status_code == expected, (
        f"{row.method} {row.path(world)} as {persona}: {response.status_code} {body!r}"
    )
    if kind == "page" and persona == "anonymous" and expected == 302 and row.url not in PUBLIC:
        assert response["Location"].startswith(reverse("accounts:login"))
    if response.status_code in {200, 201} and not response.streaming:
        content = response.content.decode("utf-8", "replace")
        leaked = [text for text in _never_shown(world, persona) if text in content]
        assert leaked == [], f"{row.method} {row.path(world)} shows {persona} {leaked}"
    return response


@pytest.mark.parametrize(("row", "persona"), list(_cases(API)))
def test_api_matrix(world, db, row, persona):
    _check("api", row, persona, world)


@pytest.mark.parametrize(("row", "persona"), list(_cases(PAGES)))
def test_page_matrix(world, db, row, persona):
    _check("page", row, persona, world)


# --- nothing escapes the matrix ---------------------------------------------------------------


def _template(url: str) -> str:
    """`/api/v1/cases/{case_a}/?x=1` and `/api/v1/cases/{id}/` both become `/api/v1/cases/{}/`."""
    return re.sub(r"\{[^}]+\}", "{}", url.split("?")[0])


def test_every_api_endpoint_of_the_schema_is_in_the_matrix(db, api, administrator):
    schema = api.as_user(administrator).get("/api/schema/?format=json").json()
    in_schema = {
        (method.upper(), _template(path))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    in_matrix = {(row.method, _template(row.url)) for row in API}
    assert in_schema - in_matrix == set(), "endpoints missing from the access matrix"
    assert in_matrix - in_schema == set(), "matrix rows for endpoints the schema does not have"


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin" or str(pattern.pattern).startswith("api/v1/"):
                continue  # Django's admin; the API is checked against its schema
            name = f"{namespace}:{inner}".strip(":") if inner else namespace
            yield from _named_urls(pattern.url_patterns, name)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_named_page_is_in_the_matrix():
    named = set(_named_urls(get_resolver().url_patterns)) - NOT_PAGES
    in_matrix = {
        resolve(re.sub(r"\{[^}]+\}", "1", row.url.split("?")[0])).view_name for row in PAGES
    }
    assert named - in_matrix == set(), "pages missing from the access matrix"
    namespaces = {name.split(":")[0] for name in named if ":" in name}
    assert namespaces == APP_NAMESPACES


def test_every_row_names_every_persona_once():
    for row in API + PAGES:
        assert set(row.expected) == set(PERSONAS)
        assert row.method in {"GET", "POST", "PUT", "PATCH", "DELETE"}


# --- a record the user may not see answers like one that does not exist ----------------------

# Who may see each record of the world (the detail rows of the matrix say the same).
SEES = {
    "case_a": {"caseworker_a", "inspector", "administrator", "auditor"},
    "referral_ab": {"caseworker_a", "caseworker_b", "administrator", "auditor"},
    "referral_ac": {"caseworker_a", "administrator", "auditor"},
    "session_1": {"inspector", "administrator", "auditor"},
    "caseworker_a": {"caseworker_a", "administrator", "auditor"},
    "inspector": {"inspector", "administrator", "auditor"},
}
for _name in ("document_a", "employment_a", "screening_a", "draft_a", "removal_a", "proceeding_a",
              "refusal_a", "task_a", "follow_up_a"):  # fmt: skip
    SEES[_name] = SEES["case_a"]
SEES["attendance_1"] = SEES["session_1"]
MISSING = 987654


def _hidden_cases():
    for row in API + PAGES:
        names = re.findall(r"\{([^}]+)\}", row.url)
        if not names or not all(name in SEES for name in names):
            continue
        for persona in PERSONAS[1:]:
            if persona not in SEES[names[0]]:
                yield pytest.param(
                    row,
                    persona,
                    id=f"{row.method} {row.url} as {persona}: like a record that does not exist",
                )


@pytest.mark.parametrize(("row", "persona"), list(_hidden_cases()))
def test_a_hidden_record_answers_like_a_missing_one(world, db, row, persona):
    kind = "api" if row.url.startswith("/api/") else "page"
    missing = Row(row.method, re.sub(r"\{[^}]+\}", str(MISSING), row.url), row.expected, row.body)
    hidden = _send(kind, row, world, world.users[persona])
    absent = _send(kind, missing, world, world.users[persona])
    assert hidden.status_code == row.expected[persona]
    assert absent.status_code == hidden.status_code
    if kind == "api":
        assert absent.content == hidden.content


# --- lists leak nothing across organisations --------------------------------------------------

# What each list shows each persona: exactly these records of the world, nothing else.
EVERYTHING = object()
LISTS = {
    "/api/v1/cases/": {
        "caseworker_a": {"case_a"}, "caseworker_b": {"case_b"},
        "inspector": {"case_a", "case_i"}, "inspector_b": {"case_b"},
        "administrator": {"case_a", "case_b", "case_i"}, "auditor": {"case_a", "case_b", "case_i"},
    },
    "/api/v1/screenings/": {
        "caseworker_a": {"screening_a", "draft_a"}, "caseworker_b": {"screening_b"},
        "inspector": {"screening_a", "draft_a"}, "inspector_b": {"screening_b"},
        "administrator": {"screening_a", "draft_a", "screening_b"},
        "auditor": {"screening_a", "draft_a", "screening_b"},
    },
    "/api/v1/removals/": {
        "caseworker_a": {"removal_a"}, "caseworker_b": {"removal_b"},
        "inspector": {"removal_a"}, "inspector_b": {"removal_b"},
        "administrator": {"removal_a", "removal_b"}, "auditor": {"removal_a", "removal_b"},
    },
    "/api/v1/referrals/": {
        "caseworker_a": {"referral_ab", "referral_ac"},
        "caseworker_b": {"referral_ab", "referral_bc"},
        "inspector": set(), "inspector_b": set(),
        "administrator": {"referral_ab", "referral_ac", "referral_bc"},
        "auditor": {"referral_ab", "referral_ac", "referral_bc"},
    },
    "/api/v1/assistance-refusals/": {
        "caseworker_a": {"refusal_a"}, "caseworker_b": {"refusal_b"},
        "inspector": {"refusal_a"}, "inspector_b": {"refusal_b"},
        "administrator": {"refusal_a", "refusal_b"}, "auditor": {"refusal_a", "refusal_b"},
    },
    "/api/v1/followups/": {
        "caseworker_a": {"follow_up_a"}, "caseworker_b": set(),
        "inspector": {"follow_up_a"}, "inspector_b": set(),
        "administrator": {"follow_up_a"}, "auditor": {"follow_up_a"},
    },
    "/api/v1/case-plans/": {
        "caseworker_a": {"plan_a"}, "caseworker_b": set(),
        "inspector": {"plan_a"}, "inspector_b": set(),
        "administrator": {"plan_a"}, "auditor": {"plan_a"},
    },
    "/api/v1/proceedings/": {
        "caseworker_a": {"proceeding_a"}, "caseworker_b": {"proceeding_b"},
        "inspector": {"proceeding_a"}, "inspector_b": {"proceeding_b"},
        "administrator": {"proceeding_a", "proceeding_b"},
        "auditor": {"proceeding_a", "proceeding_b"},
    },
    "/api/v1/training-sessions/": {
        "inspector": {"session_1"}, "inspector_b": {"session_2"},
        "administrator": {"session_1", "session_2"}, "auditor": {"session_1", "session_2"},
    },
    "/api/v1/inspectors/": {
        "inspector": {"inspector"}, "inspector_b": {"inspector_b"},
        "administrator": {"inspector", "inspector_b"}, "auditor": {"inspector", "inspector_b"},
    },
    "/api/v1/users/": {
        "caseworker_a": {"caseworker_a"}, "caseworker_b": {"caseworker_b"},
        "inspector": {"inspector"}, "inspector_b": {"inspector_b"},
        "administrator": EVERYTHING, "auditor": EVERYTHING,
    },
}  # fmt: skip


def _list_cases():
    for url, expected in LISTS.items():
        for persona in expected:
            yield pytest.param(url, persona, id=f"GET {url} as {persona}")


@pytest.mark.parametrize(("url", "persona"), list(_list_cases()))
def test_a_list_shows_exactly_the_records_the_user_may_see(world, db, url, persona):
    client = _client("api", world.users[persona])
    response = client.get(url, {"page_size": 200})
    assert response.status_code == 200
    shown = {item["id"] for item in response.json()["results"]}
    expected = LISTS[url][persona]
    if expected is EVERYTHING:
        assert shown >= {world.ids[name] for name in PERSONAS[1:]}
        return
    assert shown == {world.ids[name] for name in expected}


# Pages that list records: what each persona finds there, by case reference or by the link to
# the record's page.
REFERENCE = "reference"
LIST_PAGES = {
    "/cases/": (REFERENCE, {
        "caseworker_a": {"case_a"}, "caseworker_b": {"case_b"},
        "inspector": {"case_a", "case_i"}, "inspector_b": {"case_b"},
        "administrator": {"case_a", "case_b", "case_i"}, "auditor": {"case_a", "case_b", "case_i"},
    }),
    "/screening/": (REFERENCE, {
        "caseworker_a": {"case_a"}, "caseworker_b": {"case_b"},
        "inspector": {"case_a"}, "inspector_b": {"case_b"},
    }),
    "/removals/": (REFERENCE, {
        "caseworker_a": {"case_a"}, "caseworker_b": {"case_b"},
        "inspector": {"case_a"}, "inspector_b": {"case_b"},
    }),
    "/referrals/?box=outgoing": ("/referrals/{}/", {
        "caseworker_a": {"referral_ab", "referral_ac"}, "caseworker_b": {"referral_bc"},
        "inspector": set(), "inspector_b": set(),
    }),
    "/referrals/?box=incoming": ("/referrals/{}/", {
        "caseworker_a": set(), "caseworker_b": {"referral_ab"},
        "inspector": set(), "inspector_b": set(),
    }),
    "/proceedings/": ("/proceedings/{}/", {
        "caseworker_a": {"proceeding_a"}, "caseworker_b": {"proceeding_b"},
        "inspector": {"proceeding_a"}, "inspector_b": {"proceeding_b"},
        "administrator": {"proceeding_a", "proceeding_b"},
    }),
    "/training/sessions/": ("/training/sessions/{}/", {
        "administrator": {"session_1", "session_2"}, "auditor": {"session_1", "session_2"},
    }),
    "/training/mine/": ("/training/sessions/{}/", {
        "inspector": {"session_1"}, "inspector_b": {"session_2"},
    }),
}  # fmt: skip
CANDIDATES = {
    REFERENCE: ("case_a", "case_b", "case_i"),
    "/referrals/{}/": ("referral_ab", "referral_ac", "referral_bc"),
    "/proceedings/{}/": ("proceeding_a", "proceeding_b"),
    "/training/sessions/{}/": ("session_1", "session_2"),
}


def _list_page_cases():
    for url, (_how, expected) in LIST_PAGES.items():
        for persona in expected:
            yield pytest.param(url, persona, id=f"GET {url} as {persona}")


@pytest.mark.parametrize(("url", "persona"), list(_list_page_cases()))
def test_a_list_page_shows_exactly_the_records_the_user_may_see(world, db, url, persona):
    response = _client("page", world.users[persona]).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    how, expected = LIST_PAGES[url]

    def found(name):
        if how == REFERENCE:
            return world.references[name] in content
        return f'href="{how.format(world.ids[name])}"' in content

    assert {name for name in CANDIDATES[how] if found(name)} == expected[persona]


def test_the_receiving_organisation_sees_the_referral_but_not_the_case(world, db):
    client = _client("api", world.users["caseworker_b"])
    referral = client.get(f"/api/v1/referrals/{world.ids['referral_ab']}/").json()
    assert {"case", "case_reference", "contact_details"}.isdisjoint(referral)
    assert set(referral["person"]) == {"given_name", "family_name", "sex", "languages"}
    listed = client.get("/api/v1/referrals/", {"box": "incoming"}).json()["results"]
    assert [r["id"] for r in listed] == [world.ids["referral_ab"]]
    assert "case" not in listed[0]
    page = _client("page", world.users["caseworker_b"]).get(
        f"/referrals/{world.ids['referral_ab']}/"
    )
    assert f"/cases/{world.ids['case_a']}/" not in page.content.decode()
    assert client.get(f"/api/v1/cases/{world.ids['case_a']}/").status_code == 404


def test_filtering_referrals_by_case_does_not_tell_the_receiving_side_which_case(world, db):
    client = _client("api", world.users["caseworker_b"])
    by_case = client.get("/api/v1/referrals/", {"case": world.ids["case_a"]}).json()
    assert by_case["results"] == []
    sender = _client("api", world.users["caseworker_a"])
    sent = sender.get("/api/v1/referrals/", {"case": world.ids["case_a"]}).json()["results"]
    assert {r["id"] for r in sent} == {world.ids["referral_ab"], world.ids["referral_ac"]}


def test_a_possible_duplicate_elsewhere_is_only_announced(world, db):
    client = _client("api", world.users["caseworker_b"])
    answer = client.post(
        "/api/v1/cases/duplicates/", {"document_numbers": ["AA1111111"]}, format="json"
    ).json()
    assert answer["cases"] == [] and answer["elsewhere"] is True
