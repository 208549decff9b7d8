from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("person-links", api.PersonLinkViewSet, basename="person-link")

urlpatterns = router.urls
