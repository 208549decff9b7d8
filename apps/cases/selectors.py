"""Reads of cases, always scoped to the user; every read of one case is audited."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Choice
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.access import get_or_404, is_global_reader
from apps.core.crypto import search_hash
from apps.core.exceptions import RateLimited

from .countries import COUNTRIES
from .identity import SAME_PERSON, Identity, forget, latin_spelling, russian_cyrillic
from .matching import people_named, persons_matching, word_key
from .models import (
    WITHHOLDING_HOLDERS,
    Case,
    CaseEvent,
    CaseNameKey,
    CaseNote,
    Employment,
    IdentityDocument,
    Person,
)
from .search import document_number_hash, name_hash


def case_list_for_user(user) -> QuerySet[Case]:
    """Cases the user may see: own organisation's; for inspectors also cases they screened;
    everything for administrators and auditors."""
    qs = Case.objects.select_related("person", "organization", "assigned_to")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if is_global_reader(user):
        return qs
    if user.organization_id is None:
        return qs.none()
    if user.role == "inspector":
        from apps.screening.models import Screening

        # One set of ids, the organisation's cases and the ones the inspector screened, read
        # by primary key: as an OR of the two, every case of the country was a candidate
        # (290 ms for an inspector's list at 1M, 14 ms as a set; docs/benchmarks.md).
        own = Case.objects.filter(organization_id=user.organization_id).values("pk").order_by()
        screened = Screening.objects.filter(screened_by=user).values("case_id").order_by()
        return qs.filter(pk__in=own.union(screened))
    return qs.filter(organization_id=user.organization_id)


def case_get_for_user(user, *, case_id, audit: bool = True) -> Case:
    """One case the user may see (404 otherwise); the read is written to the audit log."""
    case = get_or_404(case_list_for_user(user), pk=case_id)
    if audit:
        audit_record(actor=user, action="read", target=case)
    return case


def case_events(case: Case) -> QuerySet[CaseEvent]:
    """The case's timeline, newest first."""
    return case.events.select_related("actor").order_by("-at", "-id")


def _withheld_documents() -> Exists:
    # The range (case_id >= pk AND case_id <= pk, i.e. equal) keeps PostgreSQL from turning the
    # EXISTS into a hashed subplan that reads every withheld document of the country before the
    # first row (180 ms at 1M cases): it stays one probe of document_withheld_case per listed
    # case (docs/benchmarks.md).
    return Exists(
        IdentityDocument.objects.filter(
            case_id__gte=OuterRef("pk"),
            case_id__lte=OuterRef("pk"),
            held_by__in=WITHHOLDING_HOLDERS,
        )
    )


def case_list_page(page: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of one page of a list (`page`: visible cases, filtered, ordered and sliced),
    with the withheld-documents flag, read by their ids in the same order.

    The page's ids come first, on their own: in the list's order from case_created_person or
    case_org_created, which carry the person, a name search's hash of people is probed without
    reading a row, and only the page's rows are read (a common surname nationally: 4,000 index
    entries and 51 rows instead of 4,000 rows, 16 → 5 ms at 1M; docs/benchmarks.md)."""
    ordering = page.query.order_by or Case._meta.ordering
    return (
        Case.objects.filter(pk__in=page.values("pk"))
        .annotate(has_withheld_documents=_withheld_documents())
        .order_by(*ordering)
    )


class _InIds(Func):
    """`column IN (subquery)`, written for PostgreSQL's planner (plain `IN` on SQLite).

    `array`: `column = ANY(ARRAY(subquery))`, read from the column's index even inside an OR
    (an IN under OR becomes a filter on every row), for subqueries of a few ids (documents).
    `hashed`: `(column IN (subquery)) IS TRUE`, which PostgreSQL does not turn into a join: the
    subquery runs once into a hash that each case read in the list's order probes. For the
    15,000 people of a common surname, a join estimates 200 of them (it cannot count distinct
    ids of a UNION) and fetches and sorts all their cases (355 ms at 1M); the hash stops after
    the page (12 ms; docs/benchmarks.md).
    `by_order`: `hashed` in a query with an order (the page) or within one organisation, `array`
    in a national one without (the bounded count, which wants every match and reads them
    through the column's index)."""

    conditional = True
    output_field = BooleanField()
    templates = {"array": "{} = ANY(ARRAY{})", "hashed": "({} IN {}) IS TRUE"}

    def __init__(self, column: str, subquery, *, form: str = "array"):
        super().__init__(F(column), Subquery(subquery))
        self.form = form

    def as_sql(self, compiler, connection, **extra):
        column, subquery = (compiler.compile(e) for e in self.get_source_expressions())
        form = self.form
        if form == "by_order":
            # A read in the list's order (the page) stops after its rows: the hash, probed
            # newest first. A read without one (the bounded count) wants every match: the ids'
            # index, 10,001 probes for a common surname nationally (33 ms against 180 ms of
            # cases checked newest first; docs/benchmarks.md).
            # Within one organisation (a caseworker's list) the count reads the organisation's
            # few thousand entries of case_org_person and probes the hash with each: 10 ms
            # for a common surname at 1M, against 19 ms of one index probe per person.
            query = compiler.query
            ordered = query.order_by or (query.default_ordering and query.get_meta().ordering)
            form = "hashed" if ordered or _one_organisation(query) else "array"
        template = self.templates[form] if connection.vendor == "postgresql" else "{} IN {}"
        return template.format(column[0], subquery[0]), [*column[1], *subquery[1]]


def _organisation_filters(query) -> list:
    """The `organization_id = n` conditions at the top of the query's WHERE (as
    case_list_for_user writes it for caseworkers)."""
    where = query.where
    if where.connector != "AND" or where.negated:
        return []
    return [
        child
        for child in where.children
        if getattr(child, "lookup_name", None) == "exact"
        and getattr(getattr(child, "lhs", None), "target", None)
        is Case._meta.get_field("organization")
    ]


def _one_organisation(query) -> bool:
    """Whether the query keeps only one organisation's cases."""
    return bool(_organisation_filters(query))


def _organisation_of(query) -> int | None:
    """The organisation whose cases alone the query keeps, when it is given as an id."""
    for child in _organisation_filters(query):
        if isinstance(child.rhs, int) and not isinstance(child.rhs, bool):
            return child.rhs
    return None


def _people_named(term: str, *, in_or: bool, organization: int | None = None) -> Q:
    """Cases of the people with `term` as a word of a given, family or middle name, in any
    script or spelling: the people stored under the keyed hash of its skeleton
    (apps/cases/matching.py), so that Каримов finds Karimov and Karimova and the reverse. An
    exact spelling has the same skeleton, so one index-only scan finds both. A word with no
    letter the skeleton knows (another alphabet) matches whole names through their exact
    keyed hashes, one index-only scan per name column (person_<name>_hash_id).

    Within one organisation (`organization`: a caseworker's list) the cases come from the
    name search's table instead (CaseNameKey, the same skeleton keys with each case's
    organisation): one range of the (key, organisation) index, the organisation's few hundred
    cases of the name, rather than the hash of the 22,000 people of a common gendered surname
    in the country probed with each of the organisation's cases (docs/benchmarks.md)."""
    if organization is not None and not in_or and (key := word_key(term)):
        forget()
        cases = (
            CaseNameKey.objects.filter(key=key, organization_id=organization)
            .values("case_id")
            .order_by()
        )
        # An array of the few hundred ids, each read by primary key: as a plain IN, PostgreSQL
        # hashes them and reads all the organisation's cases (6,700 index entries at 440k
        # cases) to probe the hash, 7 ms against 1 ms (docs/benchmarks.md).
        return Q(_InIds("pk", cases, form="array"))
    if word_key(term):
        people = people_named(term)
    else:
        hashed = name_hash(term)
        given, family, middle = (
            Person.objects.filter(**{f"{n}_hash": hashed}).values("pk").order_by()
            for n in ("given_name", "family_name", "middle_name")
        )
        people = given.union(family, middle, all=True)
    # Inside an OR an array would be searched linearly for every candidate row (see _InIds).
    return Q(_InIds("person_id", people, form="hashed" if in_or else "by_order"))


NAME_COLUMNS = ("family_name_hash", "given_name_hash", "middle_name_hash")


def _search_rank(terms: tuple[str, ...]) -> Choice | Value:
    """How closely the person's names are spelt as typed, summed over the words of the search:
    2 for a name written exactly so (case and accents aside), 1 for the same letters in the
    other script (Каримов for Karimov, Karimov for Каримов), 0 for another spelling with the
    same skeleton (Karimova, Qarimov). The comparison is of keyed hashes with the person's
    stored name hashes: nothing is decrypted, and nothing readable is sent to the database."""
    rank = None
    for term in terms:
        exact = name_hash(term)
        other = {name_hash(v) for v in (russian_cyrillic(term), latin_spelling(term)) if v}
        other.discard(exact)
        whens = [When(_any_name_hash([exact]), then=Value(2))]
        if other:
            whens.append(When(_any_name_hash(sorted(other)), then=Value(1)))
        word = Choice(*whens, default=Value(0), output_field=IntegerField())
        rank = word if rank is None else rank + word
    return rank if rank is not None else Value(0)


def _any_name_hash(hashes: list[str]) -> Q:
    q = Q()
    for column in NAME_COLUMNS:
        q |= Q(**{f"person__{column}__in": hashes})
    return q


# A national search (administrators, auditors) is ranked when its rarest name word is written by
# at most this many people in the country: ranking reads every match, and a common surname is
# 22,000 people at 1M cases (800 ms), against 50 rows read newest first (docs/benchmarks.md).
# Within one organisation's or an inspector's cases every search is ranked.
RANK_LIMIT = 2000


def is_ranked(qs: QuerySet[Case]) -> bool:
    """Whether the list is in the rank of a name search (case_search), not newest first."""
    return any(isinstance(o, OrderBy) for o in qs.query.order_by)


def _search_words(q: str) -> list[str]:
    """The words of a search that count: at most six."""
    return (q or "").split()[:6]


def _is_name_word(term: str) -> bool:
    """Names have no digits; every reference and document number has one (docs/cases.md)."""
    return not any(ch.isdigit() for ch in term)


def has_name_word(q: str) -> bool:
    """Whether the search has a word that is matched as a name."""
    return any(_is_name_word(term) for term in _search_words(q))


def _rank_affordable(terms: list[str]) -> bool:
    """Whether the rarest name word is written by at most RANK_LIMIT people (an index-only
    count of its skeleton key, stopped at the limit)."""
    from .models import PersonMatchKey

    keys = [k for k in (word_key(t) for t in terms) if k]
    return not keys or any(
        PersonMatchKey.objects.filter(key=key).values("pk")[: RANK_LIMIT + 1].count() <= RANK_LIMIT
        for key in keys
    )


def _ranked(qs: QuerySet[Case], terms: list[str], *, national: bool) -> QuerySet[Case]:
    """The search's cases closest spelling first, then as the list orders them (newest)."""
    if national and not _rank_affordable(terms):
        return qs
    # An ordering, not an annotation: the count drops it, and with it the join to the person
    # that only the rank needs; case_list_page orders the page's rows by the same expression.
    return qs.order_by(_search_rank(tuple(terms)).desc(), *Case._meta.ordering)


# A reference is its prefix's letters, a dash, then digits (KZ-2026-000123, or an earlier
# prefix's XY-2020-…): a word with a digit can be its start only from the letters and the dash.
_REFERENCE_START = re.compile(r"^[^\W\d_]+-")


def _could_be_reference(term: str) -> bool:
    """Whether a word with a digit can be the start of a reference. A document number as
    printed (FA1234567, 1234567) cannot: it is then compared only as a keyed hash, so the
    database never receives it, and neither can a log of its statements."""
    return bool(_REFERENCE_START.match(term))


def _could_start_reference(term: str) -> bool:
    """A word without a digit can only be the start of `<prefix>-` of a reference ("kz-")."""
    prefix = getattr(settings, "CASEMGR_REFERENCE_PREFIX", "KZ").upper() + "-"
    return prefix.startswith(term.upper())


def case_search(qs: QuerySet[Case], q: str, *, national: bool = False) -> QuerySet[Case]:
    """Cases matching every word of `q`: a word with a digit is a reference's start or a whole
    document number; a word without one is a whole name (and a reference prefix such as "KZ").
    Names and numbers are encrypted, so they match whole, through keyed hashes."""
    # The word's shape decides what it can be (docs/cases.md): names have no digits, and every
    # reference and document number has one. A name is then not one branch of an OR with an
    # array of 15,000 people searched linearly for every case (1.7 s for a common surname at
    # 1M), but one hashed set of people; a reference is typed from the start (it is printed on
    # papers), so it matches as a prefix, through an index (cases 0009; docs/benchmarks.md).
    names = []
    organization = _organisation_of(qs.query)
    for term in _search_words(q):
        if not _is_name_word(term):
            number = document_number_hash(term)
            documents = (
                IdentityDocument.objects.filter(number_hash=number).values("case_id").order_by()
            )
            by_document = Q(_InIds("pk", documents))
            if _could_be_reference(term):
                qs = qs.filter(Q(reference__istartswith=term) | by_document)
            else:
                qs = qs.filter(by_document)
            continue
        could_start_reference = _could_start_reference(term)
        match = _people_named(term, in_or=could_start_reference, organization=organization)
        if could_start_reference:
            match |= Q(reference__istartswith=term)
        qs = qs.filter(match)
        names.append(term)
    return _ranked(qs, names, national=national) if names else qs


def case_filter(
    qs: QuerySet[Case], filters: dict[str, Any], *, today: date | None = None, user=None
):
    """Apply the list filters of api.md (status, region, risk_level, citizenship, sector,
    assigned_to, overstay, q) given as cleaned values; `user` is the reader (a national
    reader's search is ranked only when few people match: RANK_LIMIT)."""
    today = today or timezone.localdate()
    for name in ("status", "region", "risk_level", "sector", "victim_status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("citizenship"):
        # The copy on the case (kept in step by the services): one index with the risk level.
        qs = qs.filter(citizenship=filters["citizenship"])
    if filters.get("assigned_to"):
        qs = qs.filter(assigned_to=filters["assigned_to"])
    if filters.get("overstay") is True:
        qs = qs.filter(legal_stay_until__lt=today)
    elif filters.get("overstay") is False:
        qs = qs.filter(Q(legal_stay_until__gte=today) | Q(legal_stay_until__isnull=True))
    if filters.get("q"):
        national = user is None or is_global_reader(user)
        qs = case_search(qs, filters["q"], national=national)
    return qs


# The list's filters the audit log keeps as given: choices and ids, none of them personal.
AUDITED_FILTERS = (
    "status", "region", "risk_level", "sector", "victim_status", "assigned_to", "overstay",
)  # fmt: skip


def case_list_audit(user, *, ids: list[int], count: int, filters: dict[str, Any]) -> None:
    """Record a read of the case list: the page's ids, how many cases matched and the filters.
    A search's words are personal (names, document numbers), so the log keeps only their keyed
    hash (`search`: equal searches have equal hashes, and whoever holds the key and a name can
    tell whether it was searched) and how many words it had; a citizenship only as a code."""
    kept: dict[str, Any] = {}
    for name in AUDITED_FILTERS:
        value = filters.get(name)
        if value is None or value == "":
            continue
        kept[name] = value if isinstance(value, bool) else str(value)[:32]
    citizenship = str(filters.get("citizenship") or "").upper()
    if citizenship:
        kept["citizenship"] = citizenship if citizenship in COUNTRIES else "?"
    details: dict[str, Any] = {"list": ids, "count": count, "filters": kept}
    words = _search_words(str(filters.get("q") or ""))
    if words:
        details["search"] = {"hash": search_hash(" ".join(words)), "words": len(words)}
    audit_record(actor=user, action="read", target_type="cases.case", details=details)


def case_documents(case: Case) -> QuerySet[IdentityDocument]:
    """The case's identity documents."""
    return case.documents.order_by("kind", "id")


def case_withheld_documents(case: Case) -> list[IdentityDocument]:
    """Documents held by an employer or recruiter: an indicator shown as a warning."""
    return [d for d in case_documents(case) if d.is_withheld]


def case_employments(case: Case) -> QuerySet[Employment]:
    """The case's employment records, latest first."""
    return case.employments.order_by("-started_on", "-id")


def case_notes(case: Case) -> QuerySet[CaseNote]:
    """The case's notes, newest first."""
    return case.notes.select_related("author").order_by("-created_at", "-id")


def case_document_for_user(user, *, case_id, document_id) -> IdentityDocument:
    """One document of a case the user may see (404 otherwise); the read is audited."""
    case = case_get_for_user(user, case_id=case_id)
    return get_or_404(case.documents.select_related("case"), pk=document_id)


def case_employment_for_user(user, *, case_id, employment_id) -> Employment:
    """One employment of a case the user may see (404 otherwise); the read is audited."""
    case = case_get_for_user(user, case_id=case_id)
    return get_or_404(case.employments.select_related("case"), pk=employment_id)


@dataclass(frozen=True)
class Duplicates:
    """Possible duplicates: the ones the user may see, and whether others exist elsewhere.

    `confidence` is the best match score in [0, 1] (None without a match); `scores` gives each
    visible case's. Of other organisations' cases only the existence is told, never content.
    """

    visible: list[Case]
    elsewhere: bool
    confidence: float | None = None
    scores: dict[int, float] = field(default_factory=dict)
    # Set instead of an answer when the user ran too many checks (case_duplicate_check).
    limited: str = ""

    def __bool__(self) -> bool:
        return bool(self.visible) or self.elsewhere or bool(self.limited)

    @property
    def same_person(self) -> bool:
        """Whether the best match reaches the "same person" threshold."""
        return self.confidence is not None and self.confidence >= SAME_PERSON

    def rows(self) -> list[tuple[Case, int | None]]:
        """The visible cases with their match score as a whole percentage."""
        return [
            (case, None if case.pk not in self.scores else round(100 * self.scores[case.pk]))
            for case in self.visible
        ]


def case_possible_duplicates(
    user,
    *,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    citizenship: str = "",
    sex: str = "",
    document_numbers: list[str] | None = None,
    exclude_case_id: int | None = None,
) -> Duplicates:
    """Cases about possibly the same person, in any script or spelling (apps/cases/matching.py):
    the same document number, or names and birth date that score at least the review threshold.
    Cases outside the user's view are only counted, never shown."""
    who = Identity(
        given_name=given_name or "",
        family_name=family_name or "",
        date_of_birth=date_of_birth,
        sex=sex or "",
        citizenship=citizenship or "",
        document_numbers=tuple(n for n in document_numbers or [] if n),
    )
    matches = {m.person_id: m.match for m in persons_matching(who)}
    if not matches:
        return Duplicates(visible=[], elsewhere=False)
    candidates = Case.objects.filter(person_id__in=list(matches))
    if exclude_case_id:
        candidates = candidates.exclude(pk=exclude_case_id)
    rows = list(candidates.values_list("pk", "person_id"))
    if not rows:
        return Duplicates(visible=[], elsewhere=False)
    visible_ids = set(
        case_list_for_user(user).filter(pk__in=[pk for pk, _ in rows]).values_list("pk", flat=True)
    )
    scores = {pk: matches[person].score for pk, person in rows}
    visible = sorted(
        Case.objects.filter(pk__in=visible_ids),
        key=lambda case: (-scores[case.pk], -case.created_at.timestamp()),
    )[:10]
    best = max(scores.values())
    return Duplicates(
        visible=visible,
        elsewhere=len(visible_ids) < len(rows),
        confidence=best,
        scores={case.pk: scores[case.pk] for case in visible},
    )


def duplicate_checks_per_hour() -> int:
    return int(getattr(settings, "CASEMGR_DUPLICATE_CHECKS_PER_HOUR", 300))


def case_duplicate_check(user, **person) -> Duplicates:
    """`case_possible_duplicates` as users call it: rate-limited per user and audited, since it
    tells whether a person is known in other organisations (an oracle across organisations).
    The audit entry records that a check was made and what it found, never who was asked about."""
    window = int(timezone.now().timestamp() // 3600)
    counter = f"casemgr:duplicate-checks:{user.pk}:{window}"
    cache.add(counter, 0, timeout=3700)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, timeout=3700)
        count = 1
    if count > duplicate_checks_per_hour():
        raise RateLimited(
            _(
                "Too many duplicate checks this hour (at most %(limit)d). Wait a while and try "
                "again."
            )
            % {"limit": duplicate_checks_per_hour()}
        )
    duplicates = case_possible_duplicates(user, **person)
    audit_record(
        actor=user,
        action="read",
        target_type="cases.person",
        details={
            "duplicate_check": True,
            "visible": len(duplicates.visible),
            "elsewhere": duplicates.elsewhere,
        },
    )
    return duplicates


def case_home_summary(user, *, today: date | None = None) -> dict[str, Any]:
    """What a caseworker or inspector sees first: their open cases and overstays."""
    today = today or timezone.localdate()
    visible = case_list_for_user(user).filter(status=Case.Status.OPEN)
    mine = visible.filter(assigned_to=user)
    return {
        "my_open_cases": list(mine.order_by("-created_at")[:5]),
        "my_open_count": mine.count(),
        "overstay_count": visible.filter(legal_stay_until__lt=today).count(),
        "today": today,
    }
