from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("removals", api.RemovalViewSet, basename="removal")

urlpatterns = router.urls
