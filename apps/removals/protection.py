"""Protection follows the person, not the case (issue 15 item 5; docs/identity.md).

A removal of a person is gated by every protection flag on the same person anywhere: the
person's other cases and the cases of anyone who matches them at the "same person" threshold
(apps/cases/matching.py), in any organisation. A flag is the person's protection status (issue 16,
apps/protection): possible, presumed or identified, held until a formal identification record
says `not_a_victim`. Council of Europe Convention on Action
against Trafficking in Human Beings, art. 10(2): a person with reasonable grounds is not removed
until the identification process is completed.

A match in the review band (identity.REVIEW <= score < SAME_PERSON) with a flagged person needs
a recorded "checked, not the same person" (IdentityCheck) before a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.cases.identity import SAME_PERSON, as_identity
from apps.cases.linking import linked_person_ids
from apps.cases.matching import persons_matching
from apps.cases.models import Case, IdentityDocument, Person, VictimStatus

FLAGGED_STATUSES = (VictimStatus.POSSIBLE, VictimStatus.PRESUMED, VictimStatus.IDENTIFIED)


@dataclass(frozen=True)
class Protection:
    """What binds a removal of a case's person (issue 16): the person's own protection status,
    and every flagged record of the same person; `cases` are never shown to the proposer."""

    # The flagged persons among the same person's records (the case's own person included).
    persons: dict[int, Person] = field(default_factory=dict)
    # Other cases of the flagged persons, in any organisation.
    cases: list[Case] = field(default_factory=list)
    own_person_id: int | None = None
    # person id -> score of flagged persons in the review band without a recorded check
    unchecked: dict[int, float] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return bool(self.persons)

    @property
    def here(self) -> Person | None:
        """The case's own person, when that person is flagged."""
        return self.persons.get(self.own_person_id)

    @property
    def elsewhere(self) -> bool:
        """Flagged as another record of the same person (a flag raised in another office)."""
        return any(pk != self.own_person_id for pk in self.persons)

    @property
    def reflection_until(self):
        dates = [p.reflection_until for p in self.persons.values() if p.reflection_until]
        return max(dates) if dates else None

    @property
    def changed_at(self):
        dates = [p.protection_changed_at for p in self.persons.values() if p.protection_changed_at]
        return max(dates) if dates else None


def flagged_persons(person_ids) -> dict[int, Person]:
    """The persons among these whose protection status is flagged (possible, presumed or
    identified): only a formal `not_a_victim` identification lifts it (apps/protection)."""
    persons = Person.objects.filter(pk__in=list(person_ids), protection_status__in=FLAGGED_STATUSES)
    return {person.pk: person for person in persons}


def flagged_cases(person_ids, *, exclude_case_id: int | None = None):
    """Open or closed cases of flagged persons among these."""
    cases = Case.objects.filter(
        person_id__in=list(person_ids), person__protection_status__in=FLAGGED_STATUSES
    )
    if exclude_case_id:
        cases = cases.exclude(pk=exclude_case_id)
    return cases


def same_persons(case: Case) -> tuple[set[int], dict[int, float]]:
    """The person ids that are this case's person (itself included), and those in review."""
    numbers = IdentityDocument.objects.filter(case__person_id=case.person_id).values_list(
        "number", flat=True
    )
    who = as_identity(case.person, document_numbers=[n for n in numbers if n])
    # Records a user linked as this person are this person, whatever their names say.
    same, review = set(linked_person_ids(case.person_id)), {}
    for match in persons_matching(who, exclude=list(same)):
        if match.match.score >= SAME_PERSON:
            same |= linked_person_ids(match.person_id)
        else:
            review[match.person_id] = match.match.score
    return same, {pk: score for pk, score in review.items() if pk not in same}


def protection_for(case: Case, *, checked=()) -> Protection:
    """What binds a removal of the case's person; `checked` are person ids a user has recorded
    as not the same person (IdentityCheck)."""
    same, review = same_persons(case)
    same.add(case.person_id)
    persons = flagged_persons(same)
    cases = list(flagged_cases(persons, exclude_case_id=case.pk).select_related("organization"))
    in_review = set(flagged_persons(review)) - set(checked)
    return Protection(
        persons=persons,
        cases=cases,
        own_person_id=case.person_id,
        unchecked={pid: review[pid] for pid in in_review},
    )


def person_ids_of_same_person(case: Case) -> set[int]:
    same, _review = same_persons(case)
    return same | {case.person_id}


def cases_of_same_person(case: Case):
    """Every other case of the same person, in any organisation (for flags raised here)."""
    same, _review = same_persons(case)
    return Case.objects.filter(person_id__in=list(same)).exclude(pk=case.pk)
