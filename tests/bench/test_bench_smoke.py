"""The CI smoke of `make bench`: the generator and every benchmark, end to end, on tiny data.

Not a timed test: it checks that the harness still runs against the current code, that each
hand-written SQL returns what the request returns, and that list queries do not grow with page
size. The timings it prints mean nothing at this size.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.cases.identity import russian_cyrillic
from apps.cases.matching import name_word_keys
from apps.cases.models import Case, CaseNameKey, IdentityDocument, Person
from apps.cases.search import document_number_hash, name_hash
from apps.cases.selectors import case_search
from apps.screening.models import Screening
from apps.screening.services import age_on
from bench.harness import Bench
from bench.report import markdown

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_generator_and_every_benchmark_run_end_to_end_on_a_tiny_database(capsys, tmp_path):
    call_command(
        "generate_synthetic", cases=500, workers=1, credentials_file=tmp_path / "bench.json"
    )
    assert Case.objects.count() == 500
    assert Person.objects.count() == 500
    assert Screening.objects.filter(status="complete").exists()
    # COPY skips save(): the generator must still fill what save() and the services derive.
    person = Person.objects.exclude(date_of_birth=None).first()
    assert person.family_name_hash == name_hash(person.family_name)
    assert person.given_name_hash == name_hash(person.given_name)
    document = IdentityDocument.objects.select_related("case").first()
    assert document.number_hash == document_number_hash(document.number)
    assert person.cases.first() in case_search(Case.objects.all(), person.family_name.upper())
    assert document.case in case_search(Case.objects.all(), document.number.lower())
    # The name search's table, as Case.save would fill it: each case's person's word keys
    # under the case's organisation, and a caseworker's search reads it.
    for case in Case.objects.select_related("person")[:50]:
        stored = set(CaseNameKey.objects.filter(case=case).values_list("key", "organization_id"))
        assert stored == {(k, case.organization_id) for k in name_word_keys(case.person)}
    case = person.cases.first()
    own = Case.objects.filter(organization_id=case.organization_id)
    assert case in case_search(own, russian_cyrillic(person.family_name))
    for screening in Screening.objects.filter(status="complete").select_related("case__person"):
        born = screening.case.person.date_of_birth
        assert screening.person_age == age_on(born, timezone.localdate(screening.completed_at))

    bench = Bench(size=500, reps=3, report_reps=2)
    assert bench.prewarmed_mb > 0  # pg_prewarm loaded the case list's tables and indexes
    results = bench.run_all()

    names = [r.name.split(" (")[0] for r in results]
    assert names == [
        "case list",
        "case detail",
        "duplicate check",
        "name search",
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
