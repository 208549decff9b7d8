"""The demo data: realistic cases across the demo organisations, loaded once."""

import pytest
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.cases import demo
from apps.cases.models import Case, IdentityDocument

pytestmark = pytest.mark.django_db


def test_the_demo_opens_thirty_cases_once_with_withheld_documents_and_overstays():
    accounts_demo.seed()
    assert demo.seed() == {"cases": 30}
    assert demo.seed() == {"cases": 0}
    assert Case.objects.count() == 30
    assert Case.objects.values("organization").distinct().count() >= 8
    assert IdentityDocument.objects.filter(held_by="employer").exists()
    assert Case.objects.filter(legal_stay_until__lt=timezone.localdate()).count() >= 5
    assert Case.objects.filter(status="closed").count() == 3
