from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("screenings", api.ScreeningViewSet, basename="screening")

urlpatterns = [
    path("indicators/", api.IndicatorList.as_view(), name="indicator-list"),
    *router.urls,
]
