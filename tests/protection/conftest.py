import pytest

from tests.cases.factories import CaseFactory


@pytest.fixture
def case_a(ngo_a, caseworker_a):
    return CaseFactory(organization=ngo_a, created_by=caseworker_a, assigned_to=caseworker_a)


@pytest.fixture
def inspector_case(inspectorate, inspector):
    return CaseFactory(organization=inspectorate, created_by=inspector, assigned_to=inspector)
