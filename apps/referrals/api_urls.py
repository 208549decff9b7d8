from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("services", api.ServiceViewSet, basename="service")
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register("assistance-refusals", api.AssistanceRefusalViewSet, basename="assistance-refusal")

urlpatterns = router.urls
