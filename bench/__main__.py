"""`python -m bench --sizes 10000 100000`: generate up to each size, time, print and save.

Sizes run in ascending order on one database (DATABASE_URL, default casemgr_bench), which
grows from one size to the next; it is never a test database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casemgr_bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--report-reps", type=int, default=10)
    parser.add_argument("--only", nargs="*", help="scenario keys, e.g. case_list annual_report")
    parser.add_argument("--out", default="docs/bench-results.json")
    parser.add_argument("--no-generate", action="store_true", help="use the data as it is")
    parser.add_argument(
        "--no-prewarm",
        action="store_true",
        help="do not load the case tables and indexes into shared buffers first (a cold start)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    _create_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgr.settings.dev")
    # Like production: no debug query log, tasks queued (not run inside the request).
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0")
    # Connections kept between requests, as production keeps them (CONN_MAX_AGE=60): with 0,
    # each request paid a new backend's connection and catalogue warm-up (about 40 ms on its
    # first query), which no deployed request pays.
    os.environ.setdefault("CONN_MAX_AGE", "60")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    from apps.cases.models import Case

    from .harness import Bench, machine, to_json
    from .report import markdown

    call_command("migrate", verbosity=0)
    all_results = []
    generated = {}
    prewarmed = {}
    for size in sorted(args.sizes):
        have = Case.objects.count()
        if have < size and not args.no_generate:
            started = time.monotonic()
            call_command("generate_synthetic", cases=size - have)
            generated[size] = round(time.monotonic() - started, 1)
        size_now = Case.objects.count()
        print(f"== {size_now} cases", flush=True)
        bench = Bench(
            size=size_now, reps=args.reps, report_reps=args.report_reps, warm=not args.no_prewarm
        )
        prewarmed[size_now] = bench.prewarmed_mb
        print(f"   prewarmed {bench.prewarmed_mb} MB into shared buffers", flush=True)
        results = bench.run_all(args.only, keep_going=True)
        all_results += results
        print(markdown(results), flush=True)
    info = machine()
    payload = {
        "machine": info,
        "generated_seconds": generated,
        "prewarmed_mb": prewarmed,
        "results": json.loads(to_json(all_results)),
    }
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(info))
    return 0


def _create_database(url: str) -> None:
    """Create the bench database on first use (never a test database: a name of its own)."""
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
