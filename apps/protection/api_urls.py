from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("identifications", api.IdentificationViewSet, basename="identification")
router.register("protection", api.ProtectionViewSet, basename="protection")

urlpatterns = router.urls
