"""Legal stay and overstay: pure functions over the stay rule table (see docs/cases.md).

The table is keyed by host country (from the case's region), citizenship group and stay basis.
A rule caps the stay in one or more ways, and the earliest cap is the last legal day:

- per entry: N days from the day of entry;
- N days in any M rolling days, counting earlier stays of the entry/exit history (Kazakhstan
  since 27 January 2023: exit and re-entry no longer resets the count);
- N days per calendar year (Russia, 115-FZ art. 5 as amended by 260-FZ of 8 August 2024);
- until the permit, patent or contract ends (`permit_valid_until`), plus a grace period
  (EAEU Treaty art. 97(5): 15 days to conclude a new contract).

The day of entry is day 1, so a 90-day rule ends on entry + 89 days and day 91 is the first
day of overstay.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext, gettext_noop

# Permits whose end date may extend a stay beyond the rule's days (kept for rules that give days
# and also honour a permit, as the first table did).
PERMIT_EXTENDS = "temporary_residence_permit"
PERMIT_IS_STAY = "visa"

EAEU = ("AM", "BY", "KZ", "KG", "RU")
CIS_VISA_FREE = ("UZ", "TJ", "AZ", "MD", "UA")
PERMIT_BASES = (
    "visa",
    "temporary_residence_permit",
    "victim_residence_permit",
    "work_permit",
    "registration",
)

KZ_ENTRY_RULES = (
    "Rules of entry and stay of immigrants in Kazakhstan (Government Decree No. 148 of "
    "21 January 2012, as amended in force from 27 January 2023)"
)
EAEU_97 = "EAEU Treaty (29 May 2014) art. 97"
RU_260 = "Russia, 115-FZ art. 5 as amended by 260-FZ of 8 August 2024"
RU_PATENT = "Russia, 115-FZ art. 13.3 (patent of 1 to 12 months)"
RU_REGISTRATION = "Russia, 109-FZ art. 20 (registration within 7 working days)"
KZ_VICTIMS = (
    "Kazakhstan Law 110-VIII: temporary residence with the right to work for foreign victims "
    "of trafficking; CoE Convention art. 14"
)


@dataclass(frozen=True)
class Rule:
    """A row of the stay rule table: an empty host country, citizenship list or stay basis
    matches anything; a cap left as None does not apply."""

    citizenships: frozenset[str] = frozenset()
    stay_basis: str = ""
    days: int | None = None  # per entry
    host_country: str = ""
    window_limit_days: int | None = None
    window_days: int | None = None
    year_limit_days: int | None = None
    until_permit: bool = False
    grace_days: int = 0
    registration_days: int | None = None
    name: str = ""
    source: str = ""
    pk: int | None = field(default=None, compare=False)

    def matches(self, host_country: str, citizenship: str, stay_basis: str) -> bool:
        return (
            (not self.host_country or self.host_country == host_country)
            and (not self.citizenships or citizenship in self.citizenships)
            and (not self.stay_basis or self.stay_basis == stay_basis)
        )

    @property
    def specificity(self) -> tuple[int, int, int]:
        # A named basis first: a patent or permit decides the stay wherever it was issued.
        return (
            1 if self.stay_basis else 0,
            1 if self.host_country else 0,
            1 if self.citizenships else 0,
        )

    @property
    def shortest(self) -> int:
        caps = [c for c in (self.days, self.window_limit_days, self.year_limit_days) if c]
        return min(caps) if caps else 10**6


@dataclass(frozen=True)
class Assessment:
    """The last legal day, the rule that gave it, and which cap decided it (`reason`)."""

    until: date | None
    rule: Rule | None
    reason: str  # per_entry, rolling, calendar_year, permit, no_rule, no_entry, no_permit
    days_counted: int = 0  # days already spent in the window or year before this entry
    registration_until: date | None = None


def host_country_of(region: str) -> str:
    """The host country of a case's region: Russia's regions are `ru_*`; `other` is unknown."""
    if not region or region == "other":
        return ""
    return "RU" if region.startswith("ru_") else "KZ"


def rule_for(
    rules: Iterable[Rule], *, citizenship: str, stay_basis: str, host_country: str = ""
) -> Rule | None:
    """The most specific matching rule: a named host country, basis and citizenship beat any."""
    matching = [r for r in rules if r.matches(host_country, citizenship, stay_basis)]
    if not matching:
        return None
    # Ties go to the shorter period: when two rules could apply, the stricter one is safer to
    # show than a deadline that is too late.
    return max(matching, key=lambda r: (r.specificity, -r.shortest))


def _days_present(stays: Iterable[tuple[date, date | None]], entry: date) -> set[date]:
    """Days present in the country during earlier stays (closed, before the current entry)."""
    days: set[date] = set()
    for entered, left in stays:
        if entered is None or left is None or entered >= entry:
            continue
        day, last = entered, min(left, entry - timedelta(days=1))
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def _rolling_until(present: set[date], entry: date, limit: int, window: int) -> tuple[date, int]:
    """The last day D from `entry` such that no window of `window` days ending on a day up to D
    holds more than `limit` days of presence (staying on continuously from entry)."""
    before = sum(1 for d in present if entry - timedelta(days=window) < d < entry)
    day = entry
    while True:
        start = day - timedelta(days=window - 1)
        count = sum(1 for d in present if d >= start) + (day - entry).days + 1
        if count > limit:
            return day - timedelta(days=1), before
        if (day - entry).days > window + limit:
            return day, before  # unreachable with limit < window; a guard against bad rows
        day += timedelta(days=1)


def _year_until(present: set[date], entry: date, limit: int) -> tuple[date, int]:
    """The last day from `entry` before the days of some calendar year exceed `limit`."""
    before = sum(1 for d in present if d.year == entry.year)
    counts: dict[int, int] = {}
    for d in present:
        counts[d.year] = counts.get(d.year, 0) + 1
    day = entry
    while True:
        counts[day.year] = counts.get(day.year, 0) + 1
        if counts[day.year] > limit:
            return day - timedelta(days=1), before
        day += timedelta(days=1)


def assess(
    rules: Iterable[Rule],
    *,
    citizenship: str,
    entry_date: date | None,
    stay_basis: str,
    permit_valid_until: date | None,
    host_country: str = "",
    stays: Iterable[tuple[date, date | None]] = (),
) -> Assessment:
    """Which rule applies and the last day of legal stay it gives."""
    rule = rule_for(
        rules, citizenship=citizenship, stay_basis=stay_basis, host_country=host_country
    )
    if stay_basis == PERMIT_IS_STAY and permit_valid_until:
        # A visa's validity is the stay, whatever the rule's days.
        grace = rule.grace_days if rule is not None and rule.until_permit else 0
        return Assessment(permit_valid_until + timedelta(days=grace), rule, "permit")
    if rule is None:
        return Assessment(None, None, "no_rule")
    registration = (
        entry_date + timedelta(days=rule.registration_days - 1)
        if entry_date and rule.registration_days
        else None
    )
    if rule.until_permit:
        if not permit_valid_until:
            return Assessment(None, rule, "no_permit", registration_until=registration)
        return Assessment(
            permit_valid_until + timedelta(days=rule.grace_days),
            rule,
            "permit",
            registration_until=registration,
        )
    if not entry_date:
        return Assessment(None, rule, "no_entry")
    present = _days_present(stays, entry_date)
    candidates: list[tuple[date, str, int]] = []
    if rule.days:
        candidates.append((entry_date + timedelta(days=rule.days - 1), "per_entry", 0))
    if rule.window_limit_days and rule.window_days:
        until, before = _rolling_until(
            present, entry_date, rule.window_limit_days, rule.window_days
        )
        candidates.append((until, "rolling", before))
    if rule.year_limit_days:
        until, before = _year_until(present, entry_date, rule.year_limit_days)
        candidates.append((until, "calendar_year", before))
    if not candidates:
        return Assessment(None, rule, "no_rule")
    until, reason, before = min(candidates, key=lambda c: c[0])
    until += timedelta(days=rule.grace_days)
    if stay_basis == PERMIT_EXTENDS and permit_valid_until and permit_valid_until > until:
        until, reason = permit_valid_until, "permit"
    return Assessment(until, rule, reason, days_counted=before, registration_until=registration)


def legal_stay_until(
    rules: Iterable[Rule],
    *,
    citizenship: str,
    entry_date: date | None,
    stay_basis: str,
    permit_valid_until: date | None,
    host_country: str = "",
    stays: Iterable[tuple[date, date | None]] = (),
) -> date | None:
    """The last day of legal stay, or None when it cannot be computed."""
    return assess(
        rules,
        citizenship=citizenship,
        entry_date=entry_date,
        stay_basis=stay_basis,
        permit_valid_until=permit_valid_until,
        host_country=host_country,
        stays=stays,
    ).until


def overstay_days(until: date | None, *, today: date) -> int:
    """Days stayed beyond `until` as of `today` (0 while the stay is legal or unknown)."""
    if until is None or today <= until:
        return 0
    return (today - until).days


# The table as seeded (migration 0021); also used while the table is empty, so that a deadline
# is always shown. Each row: name, host, citizenships, basis, caps, source.
DEFAULT_RULES: tuple[dict, ...] = (
    # Kazakhstan.
    dict(name="Kazakhstan: EAEU citizens, 90 days in any 180", host_country="KZ",
         citizenships=("AM", "BY", "KG", "RU"), window_limit_days=90, window_days=180,
         registration_days=30, source=f"{KZ_ENTRY_RULES}; {EAEU_97}(3)"),
    dict(name="Kazakhstan: visa-free foreigners, 30 days per entry and 90 in any 180",
         host_country="KZ", days=30, window_limit_days=90, window_days=180,
         source=KZ_ENTRY_RULES),
    dict(name="Kazakhstan: EAEU worker with an employment contract, the contract's term",
         host_country="KZ", citizenships=("AM", "BY", "KG", "RU"),
         stay_basis="eaeu_employment_contract", until_permit=True, grace_days=15,
         registration_days=30, source=f"{EAEU_97}(3), (5)"),
    dict(name="Kazakhstan: temporary residence of a victim of trafficking", host_country="KZ",
         stay_basis="victim_residence_permit", until_permit=True, source=KZ_VICTIMS),
    # Russia.
    dict(name="Russia: visa-free foreigners, 90 days per calendar year", host_country="RU",
         year_limit_days=90, registration_days=7, source=f"{RU_260}; {RU_REGISTRATION}"),
    dict(name="Russia: EAEU citizens, 90 days per calendar year", host_country="RU",
         citizenships=("AM", "BY", "KG", "KZ"), year_limit_days=90, registration_days=30,
         source=f"{RU_260}; {EAEU_97}(3)"),
    dict(name="Russia: patent holder, the patent's term", host_country="RU",
         stay_basis="patent", until_permit=True, registration_days=7,
         source=f"{RU_PATENT}; outside the 90-day cap of {RU_260}"),
    dict(name="Russia: EAEU worker with an employment contract, the contract's term",
         host_country="RU", citizenships=("AM", "BY", "KG", "KZ"),
         stay_basis="eaeu_employment_contract", until_permit=True, grace_days=15,
         registration_days=30, source=f"{EAEU_97}(3), (5)"),
    # Either country: a permit, visa or registration lasts as long as it is valid.
    *(
        dict(name=f"Any host country: {basis.replace('_', ' ')}, until it ends",
             stay_basis=basis, until_permit=True, source="The document's own term")
        for basis in PERMIT_BASES
        if basis != "victim_residence_permit"
    ),
)  # fmt: skip

# A rule's fields, in the order the admin's form shows them.
RULE_FIELDS = (
    "name",
    "host_country",
    "citizenships",
    "stay_basis",
    "days",
    "window_limit_days",
    "window_days",
    "year_limit_days",
    "until_permit",
    "grace_days",
    "registration_days",
    "source",
)


# The seeded rules' names and the parts of their sources (joined by "; "), for the catalogues:
# the case page and the API show them in the reader's language (`translated_rule_text`); a rule
# an administrator writes shows as written.
SEEDED_TEXTS = (
    gettext_noop("Kazakhstan: EAEU citizens, 90 days in any 180"),
    gettext_noop("Kazakhstan: visa-free foreigners, 30 days per entry and 90 in any 180"),
    gettext_noop("Kazakhstan: EAEU worker with an employment contract, the contract's term"),
    gettext_noop("Kazakhstan: temporary residence of a victim of trafficking"),
    gettext_noop("Russia: visa-free foreigners, 90 days per calendar year"),
    gettext_noop("Russia: EAEU citizens, 90 days per calendar year"),
    gettext_noop("Russia: patent holder, the patent's term"),
    gettext_noop("Russia: EAEU worker with an employment contract, the contract's term"),
    gettext_noop("Any host country: visa, until it ends"),
    gettext_noop("Any host country: temporary residence permit, until it ends"),
    gettext_noop("Any host country: work permit, until it ends"),
    gettext_noop("Any host country: registration, until it ends"),
    gettext_noop("CoE Convention art. 14"),
    gettext_noop("EAEU Treaty (29 May 2014) art. 97(3)"),
    gettext_noop("EAEU Treaty (29 May 2014) art. 97(3), (5)"),
    gettext_noop(
        "Kazakhstan Law 110-VIII: temporary residence with the right to work for foreign "
        "victims of trafficking"
    ),
    gettext_noop(
        "Rules of entry and stay of immigrants in Kazakhstan (Government Decree No. 148 of "
        "21 January 2012, as amended in force from 27 January 2023)"
    ),
    gettext_noop("Russia, 109-FZ art. 20 (registration within 7 working days)"),
    gettext_noop("Russia, 115-FZ art. 13.3 (patent of 1 to 12 months)"),
    gettext_noop("Russia, 115-FZ art. 5 as amended by 260-FZ of 8 August 2024"),
    gettext_noop("The document's own term"),
    gettext_noop(
        "outside the 90-day cap of Russia, 115-FZ art. 5 as amended by 260-FZ of 8 August 2024"
    ),
)


def translated_rule_text(text: str) -> str:
    """A rule's name or source in the active language, part by part ("; "): the seeded texts
    have translations, an administrator's own text is shown as written."""
    return "; ".join(gettext(part) for part in (text or "").split("; ")) if text else ""


def is_seeded_text(text: str) -> bool:
    """Whether a rule's name or source is one of the seeded English texts (part by part)."""
    return bool(text) and all(part in SEEDED_TEXTS for part in text.split("; "))


def rule_from_values(values: dict, pk=None) -> Rule:
    return Rule(
        citizenships=frozenset(values.get("citizenships") or ()),
        stay_basis=values.get("stay_basis") or "",
        days=values.get("days"),
        host_country=values.get("host_country") or "",
        window_limit_days=values.get("window_limit_days"),
        window_days=values.get("window_days"),
        year_limit_days=values.get("year_limit_days"),
        until_permit=bool(values.get("until_permit")),
        grace_days=values.get("grace_days") or 0,
        registration_days=values.get("registration_days"),
        name=values.get("name") or "",
        source=values.get("source") or "",
        pk=pk,
    )


def default_rules() -> list[Rule]:
    return [rule_from_values(values) for values in DEFAULT_RULES]
