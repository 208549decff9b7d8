"""One person across cases and organisations, over encrypted data (issue 15, docs/identity.md).

Each person is stored under keyed hashes of their blocking keys (`apps.cases.identity`) and of
the skeleton of each word of their names (`PersonMatchKey`). A lookup hashes the same keys for
the person asked about, reads the candidates under them, decrypts them in memory and scores
them with `identity.score`. Nothing readable is added to the database, and nothing here logs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Count

from apps.core.crypto import search_hash

from . import identity
from .identity import REVIEW, Identity, Match

# At most this many candidates are decrypted and scored for one lookup, those sharing the most
# keys first: a common surname with the same birth year is hundreds of people at national
# scale (docs/benchmarks.md), the same person shares nearly every key.
CANDIDATE_LIMIT = 200
WORD_KEY = "word:"


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", name or "") if w]


def word_key(word: str) -> str:
    """The keyed hash a single written name word is found under, whatever its script."""
    shape = identity.skeleton(word)
    return search_hash(WORD_KEY + shape) if shape else ""


def name_word_keys(person) -> set[str]:
    """The keyed hashes of the skeletons of each word of the person's names (the search's keys;
    `person` is a Person or an Identity; empty for an anonymised person)."""
    keys = set()
    for field in ("given_name", "family_name", "middle_name"):
        # Only the names are read (a Person loaded with .only() of them stays one query).
        name = getattr(person, field, "") or ""
        keys.update(k for k in (word_key(w) for w in _words(name)) if k)
    return keys


def person_keys(person) -> set[str]:
    """Every keyed hash the person is stored under (empty for an anonymised person)."""
    who = identity.as_identity(person, document_numbers=())
    keys = identity.hashed_blocking_keys(who) if (who.given_name or who.family_name) else set()
    keys |= name_word_keys(who)
    keys.discard("")
    return keys


def person_keys_refresh(person) -> None:
    """Store the person's keys anew (called by Person.save when a matched field changes), and
    the name search's keys of each of their cases (CaseNameKey)."""
    from .models import Case, PersonMatchKey

    keys = person_keys(person)
    with transaction.atomic():
        stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
        if stale := stored - keys:
            PersonMatchKey.objects.filter(person=person, key__in=stale).delete()
        PersonMatchKey.objects.bulk_create(
            [PersonMatchKey(person=person, key=key) for key in keys - stored],
            ignore_conflicts=True,
        )
        if person.pk is not None:
            cases = Case.objects.filter(person_id=person.pk).values_list(
                "pk", "organization_id", "person_id"
            )
            _store_case_name_keys(list(cases), {person.pk: name_word_keys(person)})
    identity.forget()


def _store_case_name_keys(cases: list[tuple[int, int, int]], words: dict[int, set[str]]) -> None:
    """Replace the name search's rows of `cases`, (case id, organisation id, person id) triples,
    with the keys `words[person id]`."""
    from .models import CaseNameKey

    if not cases:
        return
    CaseNameKey.objects.filter(case_id__in=[case_id for case_id, _, _ in cases]).delete()
    CaseNameKey.objects.bulk_create(
        [
            CaseNameKey(key=key, organization_id=organization_id, case_id=case_id)
            for case_id, organization_id, person_id in cases
            for key in sorted(words.get(person_id, ()))
        ],
        ignore_conflicts=True,
    )


def case_name_keys_refresh(cases) -> None:
    """Store the name search's keys of these saved cases anew, from their persons' names
    (Case.save: a new case, another person after a merge, another organisation)."""
    from .models import Person

    cases = [c for c in cases if c.pk is not None]
    if not cases:
        return
    people = {}
    for case in cases:
        cached = _loaded_person(case)
        if cached is not None:
            people[case.person_id] = cached
    missing = {c.person_id for c in cases} - set(people)
    if missing:
        people.update(
            (p.pk, p)
            for p in Person.objects.filter(pk__in=missing).only(
                "given_name", "family_name", "middle_name"
            )
        )
    words = {pk: name_word_keys(person) for pk, person in people.items()}
    with transaction.atomic():
        _store_case_name_keys([(c.pk, c.organization_id, c.person_id) for c in cases], words)
    identity.forget()


def _loaded_person(case):
    """The case's person if it is already loaded and is the case's current person."""
    person = case._state.fields_cache.get("person")
    return person if person is not None and person.pk == case.person_id else None


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    match: Match

    @property
    def same_person(self) -> bool:
        return self.match.same_person


def _candidate_ids(who: Identity, *, exclude: Iterable[int]) -> list[int]:
    from .models import IdentityDocument, PersonMatchKey
    from .search import document_number_hash

    keys = identity.hashed_blocking_keys(replace(who, document_numbers=()))
    # The persons sharing the most keys first (the same person shares nearly all of them), so
    # that the limit cuts the namesakes of a common name, never the person.
    ids = list(
        PersonMatchKey.objects.filter(key__in=keys)
        .exclude(person_id__in=list(exclude))
        .values("person_id")
        # COUNT(*), not COUNT(id): the key index alone answers it (an index-only scan); the
        # id would read a heap page per key, 1,500 pages for a common name (40 ms cold at 1M).
        .annotate(shared=Count("*"))
        .order_by("-shared", "person_id")
        .values_list("person_id", flat=True)[:CANDIDATE_LIMIT]
    )
    numbers = [document_number_hash(n) for n in who.document_numbers if n]
    numbers = [n for n in numbers if n]
    if numbers:
        ids += list(
            IdentityDocument.objects.filter(number_hash__in=numbers)
            .exclude(case__person_id__in=list(exclude))
            .values_list("case__person_id", flat=True)
            .distinct()[:CANDIDATE_LIMIT]
        )
    return list(dict.fromkeys(ids))


def _identities(person_ids: list[int]) -> dict[int, Identity]:
    """The candidates decrypted in memory, with their cases' document numbers."""
    from .models import IdentityDocument, Person

    numbers: dict[int, list[str]] = defaultdict(list)
    for person_id, number in IdentityDocument.objects.filter(
        case__person_id__in=person_ids
    ).values_list("case__person_id", "number"):
        if number:
            numbers[person_id].append(number)
    return {
        person.pk: identity.as_identity(person, document_numbers=numbers.get(person.pk, ()))
        for person in Person.objects.filter(pk__in=person_ids).only(
            "given_name", "family_name", "middle_name", "date_of_birth", "sex", "citizenship"
        )
    }


def persons_matching(
    who: Identity | object, *, threshold: float = REVIEW, exclude: Iterable[int] = ()
) -> list[PersonMatch]:
    """The stored persons who may be `who`, scoring at least `threshold`, best first."""
    who = identity.as_identity(who)
    if not (who.given_name or who.family_name or who.document_numbers):
        return []
    ids = _candidate_ids(who, exclude=exclude)
    if not ids:
        return []
    found = []
    for pk, other in _identities(ids).items():
        match = identity.score(who, other)
        if "document_number_equal" in match.reasons and match.score < REVIEW:
            # The same document number is always worth a look, even with no name to compare
            # (a check by number alone) or with names that disagree (an entry error).
            match = Match(score=REVIEW, reasons=match.reasons)
        if match.score >= threshold:
            found.append(PersonMatch(person_id=pk, match=match))
    identity.forget()
    return sorted(found, key=lambda m: m.match.score, reverse=True)


def people_named(term: str):
    """Persons stored under the skeleton of a written name word, in any script (search)."""
    from .models import PersonMatchKey

    key = word_key(term)
    identity.forget()
    if not key:
        return PersonMatchKey.objects.none().values("person_id")
    return PersonMatchKey.objects.filter(key=key).values("person_id").order_by()


def persons_reindex(*, batch_size: int = 1000) -> int:
    """Store every person's keys anew, and the name search's keys of their cases, a batch per
    transaction (after CASEMGR_SEARCH_KEY changes: `rotate_encryption_keys` calls it; alone:
    `manage.py reindex_people`)."""
    from .models import Case, Person, PersonMatchKey

    count, last_pk = 0, 0
    while True:
        batch = list(
            Person.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            # Every field identity.as_identity reads: a deferred one is a query per person.
            .only(
                "given_name", "family_name", "middle_name", "date_of_birth", "sex", "citizenship"
            )[:batch_size]
        )
        if not batch:
            return count
        with transaction.atomic():
            PersonMatchKey.objects.filter(person__in=batch).delete()
            PersonMatchKey.objects.bulk_create(
                [PersonMatchKey(person=p, key=key) for p in batch for key in person_keys(p)],
                ignore_conflicts=True,
            )
            cases = Case.objects.filter(person__in=batch).values_list(
                "pk", "organization_id", "person_id"
            )
            words = {p.pk: name_word_keys(p) for p in batch}
            _store_case_name_keys(list(cases), words)
        identity.forget()
        count += len(batch)
        last_pk = batch[-1].pk
