"""Small-count suppression of published outputs (reports.md, "Outputs"; domain.md).

Decision: every output that can leave the organisation shows a breakdown cell between 1 and
CASEMGR_SUPPRESSION_THRESHOLD - 1 (default 4) as "<5": published snapshots, every download
(PDF, XLSX, CSV, background jobs) and the JSON API. Only the live HTML page shows the raw
numbers, and only to administrators; auditors (oversight bodies outside the organisation) see
the suppressed page too. Scalar totals (for example, convictions in the year) are not cells of a
breakdown and are shown as they are, as reports.md asks; zero is shown as 0.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings


def suppression_threshold() -> int:
    """Counts below this (and above zero) are suppressed; a setting, default 5."""
    return int(getattr(settings, "CASEMGR_SUPPRESSION_THRESHOLD", 5))


def suppressed_label(threshold: int | None = None) -> str:
    """What a suppressed cell shows, such as "<5"."""
    return f"<{threshold or suppression_threshold()}"


def suppress_value(value: Any, *, threshold: int) -> Any:
    """A count between 1 and threshold - 1 becomes "<threshold"; anything else stays."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return suppressed_label(threshold) if 0 < value < threshold else value


def _suppress_counts(mapping: dict[str, Any], *, threshold: int) -> dict[str, Any]:
    return {
        key: _suppress_counts(value, threshold=threshold)
        if isinstance(value, dict)
        else suppress_value(value, threshold=threshold)
        for key, value in mapping.items()
    }


def suppress_report(report: dict[str, Any], *, threshold: int | None = None) -> dict[str, Any]:
    """A copy of a built report with every breakdown cell of 1..threshold-1 suppressed."""
    threshold = threshold or suppression_threshold()
    result = copy.deepcopy(report)
    for section in result.get("metrics", {}).values():
        for key, value in list(section.items()):
            # Nested mappings are breakdowns (by exploitation, service type, sex, age, ...).
            if isinstance(value, dict):
                section[key] = _suppress_counts(value, threshold=threshold)
    for chart in result.get("charts", {}).get("breakdowns", []):
        chart["bars"] = [
            [label, suppress_value(value, threshold=threshold)] for label, value in chart["bars"]
        ]
    result["suppressed"] = True
    result["suppression_threshold"] = threshold
    return result
