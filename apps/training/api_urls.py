from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("training-sessions", api.TrainingSessionViewSet, basename="training-session")
router.register("inspectors", api.InspectorViewSet, basename="inspector")

urlpatterns = router.urls
