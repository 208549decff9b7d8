"""References stay unique when several people open cases at the same moment."""

import threading
from datetime import date

import pytest
from django.db import connection

from apps.cases import services
from apps.cases.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_openings_get_distinct_consecutive_references(caseworker_a):
    count = 8
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def open_one(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.case_open(
                actor=caseworker_a,
                person={"given_name": f"Person {index}", "citizenship": "UZ"},
                region="astana",
                identified_via="hotline",
                entry_date=date(2026, 1, 1),
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    numbers = sorted(
        int(ref.rsplit("-", 1)[1]) for ref in Case.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, count + 1))
