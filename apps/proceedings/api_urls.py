from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("proceedings", api.ProceedingViewSet, basename="proceeding")

urlpatterns = router.urls
