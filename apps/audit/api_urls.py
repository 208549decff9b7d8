from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("audit", api.AuditEntryViewSet, basename="audit")

urlpatterns = router.urls
