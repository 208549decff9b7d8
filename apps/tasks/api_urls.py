from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("tasks", api.TaskViewSet, basename="task")
router.register("followups", api.FollowUpViewSet, basename="followup")

urlpatterns = router.urls
