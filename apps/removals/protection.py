"""Protection follows the person, not the case (issue 15 item 5; docs/identity.md).

A removal of a person is gated by every protection flag on the same person anywhere: the
person's other cases and the cases of anyone who matches them at the "same person" threshold
(apps/cases/matching.py), in any organisation. A flag is a possible, presumed or identified
victim status, or a reflection period still running. Council of Europe Convention on Action
against Trafficking in Human Beings, art. 10(2): a person with reasonable grounds is not removed
until the identification process is completed.

A match in the review band (identity.REVIEW <= score < SAME_PERSON) with a flagged person needs
a recorded "checked, not the same person" (IdentityCheck) before a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from apps.cases.identity import SAME_PERSON, as_identity
from apps.cases.linking import linked_person_ids
from apps.cases.matching import persons_matching
from apps.cases.models import Case, IdentityDocument, VictimStatus

FLAGGED_STATUSES = (VictimStatus.POSSIBLE, VictimStatus.PRESUMED, VictimStatus.IDENTIFIED)


@dataclass(frozen=True)
class Protection:
    """The flags elsewhere that bind a case's removal; `cases` are never shown to the proposer."""

    cases: list[Case] = field(default_factory=list)
    # person id -> score of flagged persons in the review band without a recorded check
    unchecked: dict[int, float] = field(default_factory=dict)

    @property
    def elsewhere(self) -> bool:
        return bool(self.cases)


def flagged_cases(person_ids, *, exclude_case_id: int | None = None):
    """Open or closed cases of these persons that carry a protection flag today."""
    today = timezone.localdate()
    flagged = Q(victim_status__in=FLAGGED_STATUSES) | Q(
        removals__status="suspended", removals__reflection_until__gte=today
    )
    cases = Case.objects.filter(flagged, person_id__in=list(person_ids))
    if exclude_case_id:
        cases = cases.exclude(pk=exclude_case_id)
    return cases.distinct()


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
    flagged = list(flagged_cases(same, exclude_case_id=case.pk).select_related("organization"))
    in_review = {
        person_id
        for person_id in flagged_cases(review).values_list("person_id", flat=True)
        if person_id not in set(checked)
    }
    return Protection(cases=flagged, unchecked={pid: review[pid] for pid in in_review})


def cases_of_same_person(case: Case):
    """Every other case of the same person, in any organisation (for flags raised here)."""
    same, _review = same_persons(case)
    return Case.objects.filter(person_id__in=list(same)).exclude(pk=case.pk)
