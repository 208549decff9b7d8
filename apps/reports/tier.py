"""The indicative tier of the annual report (reports.md, "Indicative tier"); pure Python.

The tier is an internal indicator computed by the fixed rules below, not an official rating.
Decisions where reports.md leaves room, all covered by tests/reports/test_tier.py:

- "Rose" is strictly greater than the previous year; a value of None on either side never rose.
- S1 and S3 are met when there was nothing to screen or refer: ``removals_decided`` (S1) or
  ``presumed_victims`` (S3) is 0, or the share is None and the count is absent. A share that is
  None while the count is positive is missing data and does not meet the standard.
- S5 is not met when ``inspectors_trained_pct`` is None (no active inspectors): nobody trained
  is not "at least 80%". Missing counts never meet S2 or S4 either.
- E4 and E5 are not met when the share is None in either year.
- First year of use: ``previous`` is None or has no activity on record (``year_has_activity``).
  Then E1-E5 are all false and rule 4 is skipped, both of its branches.
- Rule 4, first branch: presumed victims "rose by at least 25%" means current > previous and
  current >= previous * 1.25 (exactly 25% counts); from 0 any rise counts. Referrals sent and
  investigations "did not rise" when they are not strictly greater (missing counts as not rising).
- Rule 3 (the automatic downgrade) and its waiver follow TVPA §110(b)(2)(D) and (F)
  (22 U.S.C. 7107(b)(2)(D), (F)); see ``decide_tier`` and docs/reports.md, "Indicative tier":
  - only a year that rule 4 would put on the Watch List can be downgraded. A year whose figures
    meet Tier 2 (or Tier 1) is an upgrade, and the downgrade applies only to a country that "has
    not been upgraded" (the State Department's memoranda of justification under §110(b)(2)(D));
  - "two consecutive years" are the two most recent years on record (``earlier_tiers[0:2]``);
    with fewer than two years on record the downgrade does not apply;
  - a waiver counts only with a written plan and the resources to carry it out
    (§110(b)(2)(D)(ii)), and for at most ``WAIVER_MAX_YEARS`` consecutive years. Every Watch List
    year after the second of a run can only have been kept there by a waiver, so the waivers
    already used are counted from ``earlier_tiers`` alone;
  - after a Tier 3 that followed a waiver, the Watch List is allowed for one more consecutive
    year at most (§110(b)(2)(F), Frederick Douglass Trafficking Victims Prevention and Protection
    Reauthorization Act of 2018, §203); the year after, a Watch List year is Tier 3 and no waiver
    applies to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .trends import Number, format_number, json_number, metric_label

TIER_1 = "tier_1"
TIER_2 = "tier_2"
TIER_2_WATCH_LIST = "tier_2_watch_list"
TIER_3 = "tier_3"

TIER_LABELS: dict[str, Promise] = {
    TIER_1: gettext_lazy("Tier 1"),
    TIER_2: gettext_lazy("Tier 2"),
    TIER_2_WATCH_LIST: gettext_lazy("Tier 2 Watch List"),
    TIER_3: gettext_lazy("Tier 3"),
}

RULE_1_ALL_STANDARDS = "rule_1_all_standards"
RULE_2_NO_SIGNIFICANT_EFFORTS = "rule_2_no_significant_efforts"
RULE_3_AUTOMATIC_DOWNGRADE = "rule_3_automatic_downgrade"
RULE_3_AFTER_WAIVER_TIER_3 = "rule_3_after_waiver_tier_3"
RULE_4_WATCH_LIST = "rule_4_watch_list"
RULE_5_DEFAULT = "rule_5_default"

RULE_LABELS: dict[str, Promise] = {
    RULE_1_ALL_STANDARDS: gettext_lazy("Rule 1: all standards met"),
    RULE_2_NO_SIGNIFICANT_EFFORTS: gettext_lazy("Rule 2: no significant efforts"),
    RULE_3_AUTOMATIC_DOWNGRADE: gettext_lazy(
        "Rule 3: automatic downgrade after two years on the Watch List"
    ),
    RULE_3_AFTER_WAIVER_TIER_3: gettext_lazy(
        "Rule 3: no second Watch List year after a Tier 3 that followed a waiver"
    ),
    RULE_4_WATCH_LIST: gettext_lazy("Rule 4: Watch List"),
    RULE_5_DEFAULT: gettext_lazy("Rule 5: significant efforts"),
}

# Rule 4's two branches.
REASON_VICTIMS_ROSE_WITHOUT_RESPONSE = "presumed_victims_rose_without_response"
REASON_NO_CORE_EFFORTS = "no_core_efforts"

NOTE_WAIVER_PREVENTED_DOWNGRADE = "waiver_prevented_downgrade"
NOTE_UPGRADED = "upgraded_no_downgrade"
NOTE_WAIVER_INCOMPLETE = "waiver_without_plan_or_resources"
NOTE_WAIVER_LIMIT_REACHED = "waiver_limit_reached"
NOTE_WAIVER_NOT_AVAILABLE = "waiver_not_available_after_tier_3"
NOTE_FIRST_YEAR = "first_year"

# The statute behind rule 3, cited in the explanation and the report's footnotes. Citations are
# codes, the same in every language.
SOURCE_DOWNGRADE = "TVPA §110(b)(2)(D)(i), 22 U.S.C. 7107(b)(2)(D)(i)"
SOURCE_WAIVER = "TVPA §110(b)(2)(D)(ii), 22 U.S.C. 7107(b)(2)(D)(ii)"
SOURCE_AFTER_WAIVER = (
    "TVPA §110(b)(2)(F), 22 U.S.C. 7107(b)(2)(F); Frederick Douglass Trafficking Victims "
    "Prevention and Protection Reauthorization Act of 2018, §203"
)
FOOTNOTE_DOWNGRADE = "automatic_downgrade"
FOOTNOTE_WAIVER = "waiver"
FOOTNOTE_AFTER_WAIVER = "after_waiver_tier_3"

# TVPA §110(b)(2)(D)(i): the downgrade follows two consecutive years on the Watch List.
WATCH_LIST_YEARS_BEFORE_DOWNGRADE = 2
# TVPA §110(b)(2)(D)(ii): the President "may waive the application of clause (i) for up to 2
# years".
WAIVER_MAX_YEARS = 2
# TVPA §110(b)(2)(F): after a Tier 3 that followed a waiver, "more than 1 year" on the Watch List
# is Tier 3.
WATCH_LIST_YEARS_AFTER_WAIVER_TIER_3 = 1

STANDARD_LABELS: dict[str, Promise] = {
    "S1": gettext_lazy("Screening before removal"),
    "S2": gettext_lazy("Non-punishment of victims"),
    "S3": gettext_lazy("Referral for assistance"),
    "S4": gettext_lazy("Prosecution"),
    "S5": gettext_lazy("Prevention training"),
}

# Effort code -> the metric that has to rise against the previous year.
EFFORT_METRICS: dict[str, str] = {
    "E1": "investigations",
    "E2": "convictions",
    "E3": "referrals_completed",
    "E4": "removals_screened_pct",
    "E5": "inspectors_trained_pct",
}

EFFORT_LABELS: dict[str, Promise] = {
    "E1": gettext_lazy("More investigations"),
    "E2": gettext_lazy("More convictions"),
    "E3": gettext_lazy("More completed referrals"),
    "E4": gettext_lazy("Higher share of removals screened"),
    "E5": gettext_lazy("Higher share of inspectors trained"),
}

# Counts of events in the year; any of them above zero means the year has activity on record.
# Stocks at year end (inspectors_active, inspectors_trained) and shares are left out: they can be
# non-zero for a year before anyone used the system.
ACTIVITY_METRICS: tuple[str, ...] = (
    "investigations",
    "prosecutions",
    "convictions",
    "persons_screened",
    "presumed_victims",
    "possible_victims",
    "identified_victims",
    "removals_decided",
    "flagged_persons_removed",
    "removals_enforced",
    "reflection_periods",
    "referrals_sent",
    "referrals_accepted",
    "referrals_completed",
    "training_sessions",
    "training_participants",
)

GE = ">="
LE = "<="


@dataclass(frozen=True)
class TierThresholds:
    """The tier thresholds; defaults are those of reports.md."""

    removals_screened_pct_min: Number = 95  # S1
    flagged_persons_removed_max: int = 0  # S2
    presumed_victims_referred_pct_min: Number = 90  # S3
    investigations_min: int = 1  # S4
    convictions_min: int = 1  # S4
    inspectors_trained_pct_min: Number = 80  # S5
    presumed_victims_rise_pct: Number = 25  # rule 4
    significant_standards: int = 3
    significant_efforts: int = 3

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                raise ValueError(f"tier threshold {field.name} must be a number, not {value!r}")
            if value < 0:
                raise ValueError(f"tier threshold {field.name} must not be negative")
            if field.name.endswith("_pct_min") and value > 100:
                raise ValueError(f"tier threshold {field.name} is a percentage, at most 100")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> TierThresholds:
        """Thresholds from a settings dict; missing keys keep their defaults."""
        mapping = mapping or {}
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            # A misspelt setting would otherwise silently fall back to the default.
            raise ValueError(f"unknown tier thresholds: {', '.join(unknown)}")
        return cls(**mapping)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            field.name: json_number(getattr(self, field.name)) for field in dataclasses.fields(self)
        }


@dataclass(frozen=True)
class WaiverFacts:
    """What the tier rules need to know of a waiver recorded for the year.

    TVPA §110(b)(2)(D)(ii) allows a waiver of the automatic downgrade only when the country "has
    a written plan to begin making significant efforts", the plan "would constitute making such
    significant efforts" if implemented, and the country "is devoting sufficient resources to
    implement that plan". The service records the plan and the resources as text; a waiver that
    lacks either (recorded before they were asked for) cannot prevent the downgrade.
    """

    written_plan: bool
    resources: bool

    @property
    def meets_conditions(self) -> bool:
        """Both a written plan and the resources to carry it out are on record."""
        return self.written_plan and self.resources


@dataclass(frozen=True)
class Condition:
    """One comparison inside a standard: value <comparison> threshold."""

    metric: str
    value: Number | None
    comparison: str
    threshold: Number
    met: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "metric": self.metric,
            "value": json_number(self.value),
            "comparison": self.comparison,
            "threshold": json_number(self.threshold),
            "met": self.met,
        }


@dataclass(frozen=True)
class StandardCheck:
    """One standard (S1..S5) and whether the year meets it."""

    code: str
    conditions: tuple[Condition, ...]
    met: bool
    # Met because there was nothing to screen (S1) or refer (S3).
    not_applicable: bool = False

    @property
    def label(self) -> str:
        """Translated name of the standard."""
        return str(STANDARD_LABELS[self.code])

    @property
    def value(self) -> Number | None:
        """The first condition's value (S4 has two conditions)."""
        return self.conditions[0].value

    @property
    def threshold(self) -> Number:
        """The first condition's threshold."""
        return self.conditions[0].threshold

    @property
    def comparison(self) -> str:
        """The first condition's comparison."""
        return self.conditions[0].comparison

    def explanation(self) -> str:
        """Translated sentence with the value and the threshold."""
        first = self.conditions[0]
        value, threshold = format_number(first.value), format_number(first.threshold)
        if self.code == "S1":
            if self.not_applicable:
                return _("No removals were decided in the year.")
            if first.value is None:
                return _("The share of removals preceded by a screening is not available.")
            return _(
                "%(value)s%% of removals were preceded by a screening within 30 days "
                "(required: at least %(threshold)s%%)."
            ) % {"value": value, "threshold": threshold}
        if self.code == "S2":
            if first.value is None:
                return _("The number of flagged persons removed is not available.")
            return ngettext(
                "%(count)s person flagged as a presumed or possible victim was removed "
                "(allowed: %(threshold)s).",
                "%(count)s persons flagged as presumed or possible victims were removed "
                "(allowed: %(threshold)s).",
                int(first.value),
            ) % {"count": value, "threshold": threshold}
        if self.code == "S3":
            if self.not_applicable:
                return _("No presumed victims were identified in the year.")
            if first.value is None:
                return _("The share of presumed victims referred is not available.")
            return _(
                "%(value)s%% of presumed victims were referred for assistance within 7 days "
                "(required: at least %(threshold)s%%)."
            ) % {"value": value, "threshold": threshold}
        if self.code == "S4":
            second = self.conditions[1]
            return _(
                "Investigations opened: %(investigations)s (required: at least "
                "%(investigations_min)s); convictions: %(convictions)s (required: at least "
                "%(convictions_min)s)."
            ) % {
                "investigations": value,
                "investigations_min": threshold,
                "convictions": format_number(second.value),
                "convictions_min": format_number(second.threshold),
            }
        if first.value is None:
            return _(
                "There are no active inspectors, so none is trained (required: at least "
                "%(threshold)s%%)."
            ) % {"threshold": threshold}
        return _(
            "%(value)s%% of active inspectors were trained to identify victims within the last "
            "24 months (required: at least %(threshold)s%%)."
        ) % {"value": value, "threshold": threshold}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types; texts in the active language."""
        return {
            "code": self.code,
            "label": self.label,
            "met": self.met,
            "not_applicable": self.not_applicable,
            "value": json_number(self.value),
            "comparison": self.comparison,
            "threshold": json_number(self.threshold),
            "conditions": [condition.to_dict() for condition in self.conditions],
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class EffortCheck:
    """One effort (E1..E5): did the metric rise against the previous year."""

    code: str
    metric: str
    current: Number | None
    previous: Number | None
    met: bool
    # The previous year has no activity on record, so no effort can be shown.
    first_year: bool = False

    @property
    def label(self) -> str:
        """Translated name of the effort."""
        return str(EFFORT_LABELS[self.code])

    def explanation(self) -> str:
        """Translated sentence with both years' values."""
        if self.first_year:
            return _("%(metric)s: %(current)s; no previous year on record to compare with.") % {
                "metric": metric_label(self.metric),
                "current": format_number(self.current),
            }
        return _("%(metric)s: %(current)s this year, %(previous)s the year before.") % {
            "metric": metric_label(self.metric),
            "current": format_number(self.current),
            "previous": format_number(self.previous),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types; texts in the active language."""
        return {
            "code": self.code,
            "label": self.label,
            "metric": self.metric,
            "current": json_number(self.current),
            "previous": json_number(self.previous),
            "met": self.met,
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class TierDecision:
    """The indicative tier of one year, with every standard, effort and the deciding rule."""

    tier: str
    rule: str
    standards: tuple[StandardCheck, ...]
    efforts: tuple[EffortCheck, ...]
    significant_efforts: bool
    watch_list_reasons: tuple[str, ...]
    first_year: bool
    # A waiver is recorded for the year (whether or not it could apply).
    waiver: bool
    waiver_prevented_downgrade: bool
    earlier_tiers: tuple[str, ...]
    thresholds: TierThresholds
    # Why a recorded waiver did not prevent the downgrade: one of the NOTE_WAIVER_* codes, or "".
    waiver_not_applied: str = ""
    # The year's figures meet Tier 2 (or Tier 1) where the Watch List years before would have
    # led to a downgrade: an upgrade, so no downgrade applies (TVPA §110(b)(2)(D)).
    upgraded: bool = False
    # Consecutive Watch List years on record just before this year, and how many of them were
    # kept on the Watch List by a waiver.
    watch_list_run: int = 0
    waivers_used: int = 0

    @property
    def standards_met(self) -> int:
        """How many of S1..S5 are met."""
        return sum(standard.met for standard in self.standards)

    @property
    def efforts_shown(self) -> int:
        """How many of E1..E5 are shown."""
        return sum(effort.met for effort in self.efforts)

    @property
    def notes(self) -> tuple[str, ...]:
        """Codes of facts that shaped the decision without deciding it."""
        notes = []
        if self.waiver_prevented_downgrade:
            notes.append(NOTE_WAIVER_PREVENTED_DOWNGRADE)
        if self.waiver_not_applied:
            notes.append(self.waiver_not_applied)
        if self.upgraded:
            notes.append(NOTE_UPGRADED)
        if self.first_year:
            notes.append(NOTE_FIRST_YEAR)
        return tuple(notes)

    def explain(self) -> list[str]:
        """Translated sentences for the report page: the tier, why, notes and the disclaimer."""
        t = self.thresholds
        sentences = [_("Indicative tier: %(tier)s.") % {"tier": TIER_LABELS[self.tier]}]
        if self.rule == RULE_1_ALL_STANDARDS:
            sentences.append(_("All five standards are met."))
        elif self.rule == RULE_2_NO_SIGNIFICANT_EFFORTS:
            sentences.append(
                _(
                    "No significant efforts: fewer than %(standards_min)s standards are met "
                    "and fewer than %(efforts_min)s efforts are shown."
                )
                % {
                    "standards_min": format_number(t.significant_standards),
                    "efforts_min": format_number(t.significant_efforts),
                }
            )
        elif self.rule == RULE_3_AUTOMATIC_DOWNGRADE:
            sentences.append(
                _(
                    "Automatic downgrade: the two previous years were both on the Tier 2 Watch "
                    "List and this year's figures would keep it there: not upgraded, the country "
                    "is placed on Tier 3 (%(source)s)."
                )
                % {"source": SOURCE_DOWNGRADE}
            )
            sentences.extend(self._watch_list_sentences())
            if not self.waiver:
                sentences.append(_("No waiver of the downgrade is recorded for this year."))
        elif self.rule == RULE_3_AFTER_WAIVER_TIER_3:
            sentences.append(
                _(
                    "After a Tier 3 that followed a waiver, at most one more consecutive year on "
                    "the Tier 2 Watch List is allowed and it has been used; this year's figures "
                    "would keep it on the Watch List, so it is placed on Tier 3 (%(source)s)."
                )
                % {"source": SOURCE_AFTER_WAIVER}
            )
            sentences.extend(self._watch_list_sentences())
        elif self.rule == RULE_4_WATCH_LIST:
            sentences.extend(self._watch_list_sentences())
        else:
            sentences.append(_("Significant efforts are shown, but not all standards are met."))
        sentences.extend(self._waiver_sentences())
        if self.upgraded:
            sentences.append(
                _(
                    "The Watch List years before would have led to an automatic downgrade, but "
                    "this year's figures meet %(tier)s: the country is upgraded, and the "
                    "downgrade applies only to a country that has not been upgraded "
                    "(%(source)s)."
                )
                % {"tier": TIER_LABELS[self.tier], "source": SOURCE_DOWNGRADE}
            )
        if self.first_year:
            sentences.append(
                _(
                    "The previous year has no activity on record (first year of use): efforts "
                    "are not assessed and the Watch List rule does not apply."
                )
            )
        sentences.append(
            _("Standards met: %(standards)s of %(standards_total)s.")
            % {
                "standards": format_number(self.standards_met),
                "standards_total": format_number(len(self.standards)),
            }
        )
        sentences.append(
            _("Efforts shown: %(efforts)s of %(efforts_total)s.")
            % {
                "efforts": format_number(self.efforts_shown),
                "efforts_total": format_number(len(self.efforts)),
            }
        )
        sentences.append(
            _("This tier is an internal indicator computed by fixed rules, not an official rating.")
        )
        return sentences

    def _waiver_sentences(self) -> list[str]:
        if self.waiver_prevented_downgrade:
            return [
                _(
                    "The two previous years were both on the Tier 2 Watch List; a waiver "
                    "recorded for this year, with a written plan and the resources to carry it "
                    "out, prevented the automatic downgrade (consecutive waiver %(number)s of at "
                    "most %(most)s, %(source)s)."
                )
                % {
                    "number": format_number(self.waivers_used + 1),
                    "most": format_number(WAIVER_MAX_YEARS),
                    "source": SOURCE_WAIVER,
                }
            ]
        if self.waiver_not_applied == NOTE_WAIVER_INCOMPLETE:
            return [
                _(
                    "A waiver is recorded for this year, but without a written plan or without "
                    "the resources to carry it out, so it cannot prevent the downgrade "
                    "(%(source)s)."
                )
                % {"source": SOURCE_WAIVER}
            ]
        if self.waiver_not_applied == NOTE_WAIVER_LIMIT_REACHED:
            return [
                ngettext(
                    "A waiver is recorded for this year, but the downgrade was already waived "
                    "for %(years)s consecutive year, the most the law allows (%(source)s).",
                    "A waiver is recorded for this year, but the downgrade was already waived "
                    "for %(years)s consecutive years, the most the law allows (%(source)s).",
                    self.waivers_used,
                )
                % {"years": format_number(self.waivers_used), "source": SOURCE_WAIVER}
            ]
        if self.waiver_not_applied == NOTE_WAIVER_NOT_AVAILABLE:
            return [
                _(
                    "A waiver is recorded for this year, but no waiver applies to the Tier 3 "
                    "that follows a Watch List year after a post-waiver Tier 3 (%(source)s)."
                )
                % {"source": SOURCE_AFTER_WAIVER}
            ]
        return []

    def footnotes(self) -> list[dict[str, Any]]:
        """The statute behind the downgrade rules, translated; ``applies`` marks what shaped
        this year's tier. Every output shows them (reports/_report.html, XLSX, CSV)."""
        applied = {
            FOOTNOTE_DOWNGRADE: self.rule == RULE_3_AUTOMATIC_DOWNGRADE or self.upgraded,
            FOOTNOTE_WAIVER: self.waiver_prevented_downgrade
            or self.waiver_not_applied in {NOTE_WAIVER_INCOMPLETE, NOTE_WAIVER_LIMIT_REACHED},
            FOOTNOTE_AFTER_WAIVER: self.rule == RULE_3_AFTER_WAIVER_TIER_3,
        }
        texts = {
            FOOTNOTE_DOWNGRADE: (
                SOURCE_DOWNGRADE,
                _(
                    "A country on the Tier 2 Watch List for two consecutive years that has not "
                    "been upgraded to Tier 2 is placed on Tier 3 (automatic downgrade). A year "
                    "whose figures meet Tier 2 is an upgrade, and no downgrade applies to it."
                ),
            ),
            FOOTNOTE_WAIVER: (
                SOURCE_WAIVER,
                _(
                    "The automatic downgrade may be waived for at most %(most)s consecutive "
                    "years, and only when there is a written plan to begin making significant "
                    "efforts that would constitute such efforts if carried out, and sufficient "
                    "resources are devoted to carrying it out."
                )
                % {"most": format_number(WAIVER_MAX_YEARS)},
            ),
            FOOTNOTE_AFTER_WAIVER: (
                SOURCE_AFTER_WAIVER,
                _(
                    "After a Tier 3 that followed a waiver, a country may stay on the Tier 2 "
                    "Watch List for at most one more consecutive year; a second such year is "
                    "Tier 3, and no waiver applies to it."
                ),
            ),
        }
        return [
            {"key": key, "source": source, "text": text, "applies": applied[key]}
            for key, (source, text) in texts.items()
        ]

    def _watch_list_sentences(self) -> list[str]:
        sentences = []
        if REASON_VICTIMS_ROSE_WITHOUT_RESPONSE in self.watch_list_reasons:
            sentences.append(
                _(
                    "Presumed victims rose by at least %(rise)s%% while referrals sent and "
                    "investigations did not rise."
                )
                % {"rise": format_number(self.thresholds.presumed_victims_rise_pct)}
            )
        if REASON_NO_CORE_EFFORTS in self.watch_list_reasons:
            sentences.append(
                _("Investigations, convictions and completed referrals all failed to rise.")
            )
        return sentences

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types; labels and sentences in the active language."""
        return {
            "tier": self.tier,
            "tier_label": str(TIER_LABELS[self.tier]),
            "rule": self.rule,
            "rule_label": str(RULE_LABELS[self.rule]),
            "indicative": True,
            "standards": [standard.to_dict() for standard in self.standards],
            "standards_met": self.standards_met,
            "efforts": [effort.to_dict() for effort in self.efforts],
            "efforts_shown": self.efforts_shown,
            "significant_efforts": self.significant_efforts,
            "watch_list_reasons": list(self.watch_list_reasons),
            "first_year": self.first_year,
            "waiver": self.waiver,
            "waiver_prevented_downgrade": self.waiver_prevented_downgrade,
            "waiver_not_applied": self.waiver_not_applied,
            "upgraded": self.upgraded,
            "watch_list_run": self.watch_list_run,
            "waivers_used": self.waivers_used,
            "notes": list(self.notes),
            "earlier_tiers": list(self.earlier_tiers),
            "thresholds": self.thresholds.to_dict(),
            "explanation": self.explain(),
            "footnotes": self.footnotes(),
        }


def year_has_activity(metrics: Mapping[str, Any] | None) -> bool:
    """Whether any event count of the year (ACTIVITY_METRICS) is above zero."""
    if not metrics:
        return False
    return any((metrics.get(key) or 0) > 0 for key in ACTIVITY_METRICS)


def watch_list_run(earlier_tiers: Sequence[str]) -> int:
    """How many of the most recent years on record were on the Watch List, without a break."""
    run = 0
    for tier in earlier_tiers:
        if tier != TIER_2_WATCH_LIST:
            break
        run += 1
    return run


def waivers_used(earlier_tiers: Sequence[str]) -> int:
    """Waivers that kept the current run of Watch List years on the Watch List.

    Every Watch List year after the second of a run would have been downgraded without a waiver
    (TVPA §110(b)(2)(D)(i)), so it was kept there by one: the count follows from the tiers.
    """
    return max(0, watch_list_run(earlier_tiers) - WATCH_LIST_YEARS_BEFORE_DOWNGRADE)


def after_waiver_tier_3(earlier_tiers: Sequence[str]) -> bool:
    """The Watch List year after a Tier 3 that followed a waiver has been used (§110(b)(2)(F)).

    The Tier 3 ended a run of at least three Watch List years, the third kept there by a waiver,
    and at least WATCH_LIST_YEARS_AFTER_WAIVER_TIER_3 Watch List years followed it.
    """
    run = watch_list_run(earlier_tiers)
    if run < WATCH_LIST_YEARS_AFTER_WAIVER_TIER_3:
        return False
    before = earlier_tiers[run:]
    return bool(before) and before[0] == TIER_3 and waivers_used(before[1:]) > 0


def waiver_refusal(earlier_tiers: Sequence[str]) -> str:
    """Why no waiver can apply to the year after ``earlier_tiers`` (a NOTE_WAIVER_* code), or "".

    Used when a waiver is recorded, so that an administrator is told at once; the tier rules
    check the same again for every year (decide_tier).
    """
    if after_waiver_tier_3(earlier_tiers):
        return NOTE_WAIVER_NOT_AVAILABLE
    if waivers_used(earlier_tiers) >= WAIVER_MAX_YEARS:
        return NOTE_WAIVER_LIMIT_REACHED
    return ""


def decide_tier(
    *,
    current: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    earlier_tiers: Sequence[str],
    waiver: WaiverFacts | None,
    thresholds: TierThresholds,
) -> TierDecision:
    """The indicative tier of a year by the rules of reports.md, as corrected in issue 17.

    earlier_tiers are the tiers of the years before, most recent first, only years on record;
    waiver is the waiver recorded for this year, if any. In order:
    1. Tier 1 when every standard is met; 2. Tier 3 without significant efforts;
    then the year's own figures: Tier 2 (rule 5) unless rule 4 puts it on the Watch List. Only a
    year on the Watch List can be downgraded, since TVPA §110(b)(2)(D) downgrades a country that
    "has not been upgraded":
    3b. Tier 3 when the one Watch List year allowed after a Tier 3 that followed a waiver has
        been used (§110(b)(2)(F)); no waiver applies;
    3. Tier 3 after two consecutive Watch List years (§110(b)(2)(D)(i)), unless a waiver with a
       written plan and resources is recorded and fewer than WAIVER_MAX_YEARS waivers kept this
       run on the Watch List (§110(b)(2)(D)(ii));
    4. otherwise the Watch List.
    """
    unknown = set(earlier_tiers) - set(TIER_LABELS)
    if unknown:
        raise ValueError(f"unknown tiers: {', '.join(sorted(unknown))}")
    t = thresholds
    first_year = not year_has_activity(previous)
    standards = _standards(current, t)
    efforts = _efforts(current, previous, first_year=first_year)
    standards_met = sum(standard.met for standard in standards)
    efforts_shown = sum(effort.met for effort in efforts)
    significant = standards_met >= t.significant_standards or efforts_shown >= t.significant_efforts
    run = watch_list_run(earlier_tiers)
    used = waivers_used(earlier_tiers)
    two_watch_list_years = run >= WATCH_LIST_YEARS_BEFORE_DOWNGRADE
    after_waiver = after_waiver_tier_3(earlier_tiers)
    # A downgrade would follow if this year were on the Watch List.
    downgrade_pending = two_watch_list_years or after_waiver

    def decision(
        tier: str,
        rule: str,
        *,
        reasons: tuple[str, ...] = (),
        waiver_prevented_downgrade: bool = False,
        waiver_not_applied: str = "",
    ) -> TierDecision:
        return TierDecision(
            tier=tier,
            rule=rule,
            standards=standards,
            efforts=efforts,
            significant_efforts=significant,
            watch_list_reasons=reasons,
            first_year=first_year,
            waiver=waiver is not None,
            waiver_prevented_downgrade=waiver_prevented_downgrade,
            earlier_tiers=tuple(earlier_tiers),
            thresholds=t,
            waiver_not_applied=waiver_not_applied,
            upgraded=downgrade_pending and tier in {TIER_1, TIER_2},
            watch_list_run=run,
            waivers_used=used,
        )

    if standards_met == len(standards):
        return decision(TIER_1, RULE_1_ALL_STANDARDS)
    if not significant:
        return decision(TIER_3, RULE_2_NO_SIGNIFICANT_EFFORTS)
    # Rule 4 does not apply in the first year of use (reports.md).
    reasons = () if first_year else _watch_list_reasons(current, previous or {}, efforts, t)
    if not reasons:
        # The figures meet Tier 2: an upgrade, which no automatic downgrade overrides.
        return decision(TIER_2, RULE_5_DEFAULT)
    if after_waiver:
        return decision(
            TIER_3,
            RULE_3_AFTER_WAIVER_TIER_3,
            reasons=reasons,
            waiver_not_applied=NOTE_WAIVER_NOT_AVAILABLE if waiver is not None else "",
        )
    if two_watch_list_years:
        if waiver is None:
            return decision(TIER_3, RULE_3_AUTOMATIC_DOWNGRADE, reasons=reasons)
        if not waiver.meets_conditions:
            return decision(
                TIER_3,
                RULE_3_AUTOMATIC_DOWNGRADE,
                reasons=reasons,
                waiver_not_applied=NOTE_WAIVER_INCOMPLETE,
            )
        if used >= WAIVER_MAX_YEARS:
            return decision(
                TIER_3,
                RULE_3_AUTOMATIC_DOWNGRADE,
                reasons=reasons,
                waiver_not_applied=NOTE_WAIVER_LIMIT_REACHED,
            )
        return decision(
            TIER_2_WATCH_LIST, RULE_4_WATCH_LIST, reasons=reasons, waiver_prevented_downgrade=True
        )
    return decision(TIER_2_WATCH_LIST, RULE_4_WATCH_LIST, reasons=reasons)


def _standards(current: Mapping[str, Any], t: TierThresholds) -> tuple[StandardCheck, ...]:
    s1 = _share_standard(
        "S1",
        share=current.get("removals_screened_pct"),
        share_metric="removals_screened_pct",
        count=current.get("removals_decided"),
        minimum=t.removals_screened_pct_min,
    )
    flagged = current.get("flagged_persons_removed")
    s2_met = flagged is not None and flagged <= t.flagged_persons_removed_max
    s2 = StandardCheck(
        code="S2",
        conditions=(
            Condition(
                metric="flagged_persons_removed",
                value=flagged,
                comparison=LE,
                threshold=t.flagged_persons_removed_max,
                met=s2_met,
            ),
        ),
        met=s2_met,
    )
    s3 = _share_standard(
        "S3",
        share=current.get("presumed_victims_referred_pct"),
        share_metric="presumed_victims_referred_pct",
        count=current.get("presumed_victims"),
        minimum=t.presumed_victims_referred_pct_min,
    )
    s4_conditions = tuple(
        _at_least(metric, current.get(metric), minimum)
        for metric, minimum in (
            ("investigations", t.investigations_min),
            ("convictions", t.convictions_min),
        )
    )
    s4 = StandardCheck(
        code="S4",
        conditions=s4_conditions,
        met=all(condition.met for condition in s4_conditions),
    )
    # No active inspectors (share None) does not meet S5: nobody trained is not >= 80%.
    s5_condition = _at_least(
        "inspectors_trained_pct",
        current.get("inspectors_trained_pct"),
        t.inspectors_trained_pct_min,
    )
    s5 = StandardCheck(code="S5", conditions=(s5_condition,), met=s5_condition.met)
    return (s1, s2, s3, s4, s5)


def _share_standard(
    code: str,
    *,
    share: Number | None,
    share_metric: str,
    count: Number | None,
    minimum: Number,
) -> StandardCheck:
    # S1/S3 are met "or no removals decided / no presumed victims": nothing to screen or refer.
    # A missing share with a positive count is missing data, which never meets a standard.
    nothing_to_do = count == 0 or (share is None and count is None)
    condition = _at_least(share_metric, share, minimum)
    return StandardCheck(
        code=code,
        conditions=(condition,),
        met=nothing_to_do or condition.met,
        not_applicable=nothing_to_do,
    )


def _at_least(metric: str, value: Number | None, minimum: Number) -> Condition:
    return Condition(
        metric=metric,
        value=value,
        comparison=GE,
        threshold=minimum,
        met=value is not None and value >= minimum,
    )


def _efforts(
    current: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    *,
    first_year: bool,
) -> tuple[EffortCheck, ...]:
    previous = previous or {}
    return tuple(
        EffortCheck(
            code=code,
            metric=metric,
            current=current.get(metric),
            previous=None if first_year else previous.get(metric),
            # The first year of use has no efforts (reports.md).
            met=not first_year and _rose(current.get(metric), previous.get(metric)),
            first_year=first_year,
        )
        for code, metric in EFFORT_METRICS.items()
    )


def _watch_list_reasons(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    efforts: Sequence[EffortCheck],
    t: TierThresholds,
) -> tuple[str, ...]:
    reasons = []
    if (
        _rose_by_at_least(
            current.get("presumed_victims"),
            previous.get("presumed_victims"),
            t.presumed_victims_rise_pct,
        )
        and not _rose(current.get("referrals_sent"), previous.get("referrals_sent"))
        and not _rose(current.get("investigations"), previous.get("investigations"))
    ):
        reasons.append(REASON_VICTIMS_ROSE_WITHOUT_RESPONSE)
    core = {"E1", "E2", "E3"}
    if not any(effort.met for effort in efforts if effort.code in core):
        reasons.append(REASON_NO_CORE_EFFORTS)
    return tuple(reasons)


def _rose(current: Number | None, previous: Number | None) -> bool:
    return current is not None and previous is not None and current > previous


def _rose_by_at_least(current: Number | None, previous: Number | None, pct: Number) -> bool:
    if not _rose(current, previous):
        return False
    # Exact arithmetic, so that exactly 25% counts whatever the number types.
    return _exact(current) * 100 >= _exact(previous) * (100 + _exact(pct))


def _exact(value: Number | None) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
