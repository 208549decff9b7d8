"""Legal stay and overstay: pure functions over the stay rule table (see docs/cases.md).

The day of entry is day 1, so a 90-day rule ends on entry + 89 days and day 91 is the first
day of overstay.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Permits whose end date is the legal stay deadline (a temporary residence permit may extend a
# stay beyond the rule; a visa's validity is the stay).
PERMIT_EXTENDS = "temporary_residence_permit"
PERMIT_IS_STAY = "visa"


# The table as seeded (migration 0003); also used while the table is empty, so that a
# deadline is always shown (see docs/cases.md).
EAEU = ("AM", "BY", "KZ", "KG", "RU")
CIS_VISA_FREE = ("UZ", "TJ", "AZ", "MD", "UA")
DEFAULT_RULES = (
    ("EAEU citizens: 90 days from entry", EAEU, "", 90),
    ("CIS visa-free citizens: 30 days from entry", CIS_VISA_FREE, "", 30),
    ("Other citizenships: 30 days from entry", (), "", 30),
)


@dataclass(frozen=True)
class Rule:
    """A row of the stay rule table: empty citizenships or stay basis match anything."""

    citizenships: frozenset[str]
    stay_basis: str
    days: int

    def matches(self, citizenship: str, stay_basis: str) -> bool:
        return (not self.citizenships or citizenship in self.citizenships) and (
            not self.stay_basis or self.stay_basis == stay_basis
        )

    @property
    def specificity(self) -> tuple[int, int]:
        return (1 if self.citizenships else 0, 1 if self.stay_basis else 0)


def rule_for(rules: Iterable[Rule], *, citizenship: str, stay_basis: str) -> Rule | None:
    """The most specific matching rule: named citizenship beats any, named basis beats any."""
    matching = [r for r in rules if r.matches(citizenship, stay_basis)]
    if not matching:
        return None
    # Ties go to the shorter period: when two rules could apply, the stricter one is safer to
    # show than a deadline that is too late.
    return max(matching, key=lambda r: (r.specificity, -r.days))


def legal_stay_until(
    rules: Iterable[Rule],
    *,
    citizenship: str,
    entry_date: date | None,
    stay_basis: str,
    permit_valid_until: date | None,
) -> date | None:
    """The last day of legal stay, or None when it cannot be computed."""
    if stay_basis == PERMIT_IS_STAY and permit_valid_until:
        return permit_valid_until
    until = None
    rule = rule_for(rules, citizenship=citizenship, stay_basis=stay_basis)
    if entry_date and rule is not None:
        until = entry_date + timedelta(days=rule.days - 1)
    if stay_basis == PERMIT_EXTENDS and permit_valid_until:
        until = max(until, permit_valid_until) if until else permit_valid_until
    return until


def overstay_days(until: date | None, *, today: date) -> int:
    """Days stayed beyond `until` as of `today` (0 while the stay is legal or unknown)."""
    if until is None or today <= until:
        return 0
    return (today - until).days


def default_rules() -> list[Rule]:
    return [
        Rule(citizenships=frozenset(codes), stay_basis=basis, days=days)
        for _name, codes, basis, days in DEFAULT_RULES
    ]
