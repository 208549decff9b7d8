"""The CI smoke of `make bench`: the generator and every benchmark, end to end, on tiny data.

Not a timed test: it checks that the harness still runs against the current code, that each
hand-written SQL returns what the request returns, and that list queries do not grow with page
size. The timings it prints mean nothing at this size.
"""

import pytest
from django.core.management import call_command

from apps.cases.models import Case, Person
from apps.screening.models import Screening
from bench.harness import Bench
from bench.report import markdown

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_generator_and_every_benchmark_run_end_to_end_on_a_tiny_database(capsys):
    call_command("generate_synthetic", cases=200, workers=1)
    assert Case.objects.count() == 200
    assert Person.objects.count() == 200
    assert Screening.objects.filter(status="complete").exists()

    results = Bench(size=200, reps=3, report_reps=2).run_all()

    names = [r.name.split(" (")[0] for r in results]
    assert names == [
        "case list",
        "case detail",
        "screening create",
        "removal decide",
        "annual report",
        "attendance import",
    ]
    for result in results:
        assert result.django_ms and result.raw_ms, result.name
        assert result.queries, result.name
        assert "DIFFERS" not in result.verified, (result.name, result.verified)
    case_list = results[0]
    assert case_list.verified.startswith("same page ids in all")
    assert len(set(case_list.queries_by_page_size.values())) == 1, case_list.queries_by_page_size
    with capsys.disabled():
        print("\n" + markdown(results))
