"""Small-count suppression of published outputs (reports.md, "Outputs"; domain.md).

Decision: every output that can leave the organisation shows a breakdown cell between 1 and
CASEMGR_SUPPRESSION_THRESHOLD - 1 (default 4) as "<5": published snapshots, every download
(PDF, XLSX, CSV, background jobs) and the JSON API. Only the live HTML page shows the raw
numbers, and only to administrators; auditors (oversight bodies outside the organisation) see
the suppressed page too. Scalar totals (for example, convictions in the year) are not cells of a
breakdown and are shown as they are, as reports.md asks; zero is shown as 0.

Secondary suppression: a breakdown's cells add up to a total that is published beside it, so
a lone "<5" could be worked out by subtraction. When exactly one cell of a breakdown is
suppressed, the next smallest non-zero cell is hidden too, as "x" (the mark Kazakhstan's Bureau
of National Statistics uses for confidential figures); when there is no such cell (the whole
breakdown is that one small count), every cell shows "x". The same cells are hidden in every
output, since each renders the one suppressed report.
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


SECONDARY_LABEL = "x"


def is_suppressed(value: Any) -> bool:
    """Whether a cell of a suppressed report is a mark ("<5", "x") rather than a number."""
    return isinstance(value, str) and (value == SECONDARY_LABEL or value.startswith("<"))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def suppress_value(value: Any, *, threshold: int) -> Any:
    """A count between 1 and threshold - 1 becomes "<threshold"; anything else stays."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return suppressed_label(threshold) if 0 < value < threshold else value


def suppress_cells(cells: dict[str, Any], *, threshold: int) -> dict[str, Any]:
    """One breakdown's cells: small counts as "<5", plus the secondary "x" a lone one needs."""
    result = {key: suppress_value(value, threshold=threshold) for key, value in cells.items()}
    small = [key for key, value in cells.items() if _is_count(value) and 0 < value < threshold]
    if len(small) != 1:
        return result
    others = [
        (value, index, key)
        for index, (key, value) in enumerate(cells.items())
        if key != small[0] and _is_count(value) and value > 0
    ]
    if others:
        result[min(others)[2]] = SECONDARY_LABEL  # ties: the first in display order
        return result
    return {key: SECONDARY_LABEL if _is_count(value) else value for key, value in cells.items()}


def _suppress_counts(mapping: dict[str, Any], *, threshold: int) -> dict[str, Any]:
    if not any(isinstance(value, dict) for value in mapping.values()):
        return suppress_cells(mapping, threshold=threshold)
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
    breakdowns = result.get("metrics", {}).get("protection", {}).get("breakdowns", {})
    for chart in result.get("charts", {}).get("breakdowns", []):
        # A chart draws the cells of one breakdown in their order: take them from the table so
        # that both hide the same cells.
        cells = breakdowns.get(chart.get("group"), {}).get(chart.get("dimension"))
        if isinstance(cells, dict) and len(cells) == len(chart["bars"]):
            chart["bars"] = [
                [label, value]
                for (label, _raw), value in zip(chart["bars"], cells.values(), strict=True)
            ]
        else:
            values = suppress_cells(
                dict(enumerate(v for _l, v in chart["bars"])), threshold=threshold
            )
            chart["bars"] = [[label, values[i]] for i, (label, _v) in enumerate(chart["bars"])]
    result["suppressed"] = True
    result["suppression_threshold"] = threshold
    return result
