"""Prevention metrics, against the training contract; run once apps.training lands."""

import pytest

from apps.reports.metrics import Period, prevention_metrics

selectors = pytest.importorskip("apps.training.selectors")
if not hasattr(selectors, "inspectors_trained_count"):
    pytest.skip("apps.training.selectors has not landed yet", allow_module_level=True)

pytestmark = pytest.mark.django_db


def test_the_share_of_trained_inspectors_comes_from_the_training_selector(monkeypatch):
    monkeypatch.setattr(selectors, "inspectors_trained_count", lambda *, at, region=None: (4, 5))
    result = prevention_metrics(period=Period(2025), region=None)
    assert (result["inspectors_trained"], result["inspectors_active"]) == (4, 5)
    assert float(result["inspectors_trained_pct"]) == 80.0
