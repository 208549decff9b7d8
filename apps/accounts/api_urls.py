from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("users", api.UserViewSet, basename="user")
router.register("organizations", api.OrganizationViewSet, basename="organization")
router.register("auth/tokens", api.TokenViewSet, basename="api-token-own")

urlpatterns = [
    path("auth/token/", api.token_obtain, name="api-token"),
    path("auth/logout/", api.logout, name="api-logout"),
    path("me/", api.me, name="api-me"),
    *router.urls,
]
