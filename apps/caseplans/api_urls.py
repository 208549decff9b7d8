from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("case-plans", api.CasePlanViewSet, basename="caseplan")

urlpatterns = router.urls
