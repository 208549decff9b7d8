"""The results as a Markdown table, as docs/benchmarks.md shows them."""

from __future__ import annotations


def markdown(results) -> str:
    lines = [
        "| cases | request | Django median / p95 ms | raw SQL median / p95 ms | ratio (median) "
        "| queries | checked |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        s = r.summary()
        if "reps" not in s:
            lines.append(f"| {s['size']:,} | {s['name']} | – | – | – | – | {s['verified']} |")
            continue
        queries = str(s["queries"])
        if s["queries_by_page_size"]:
            queries = " / ".join(f"{v} (size {k})" for k, v in s["queries_by_page_size"].items())
        lines.append(
            f"| {s['size']:,} | {s['name']} | {s['django_median_ms']} / {s['django_p95_ms']} "
            f"| {s['raw_median_ms']} / {s['raw_p95_ms']} | {s['ratio_median']}x | {queries} "
            f"| {s['verified']} |"
        )
        if s.get("first_ms") is not None:
            lines.append(
                f"| {s['size']:,} | {s['name']}, first (computes earlier years) "
                f"| {s['first_ms']} | – | – | – | – |"
            )
    return "\n".join(lines)
