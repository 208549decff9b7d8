from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.core.throttling import TokenRateThrottle

from . import security, selectors, throttle, tokens
from .models import APIToken, Organization, User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"})
    otp = serializers.CharField(
        label=_("code from your authenticator app"), required=False, allow_blank=True
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The sign-in throttle of the sign-in form (apps.accounts.throttle), shared with it.
        attempt = _throttled(security.sign_in_begin, request, username=attrs["username"])
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            attempt.failed()
            raise serializers.ValidationError(
                _("Unable to sign in with the username and password given."),
                code="authorization",
            )
        if security.has_confirmed_device(user):
            if not attrs.get("otp"):
                attempt.succeeded(complete=False)
                raise serializers.ValidationError(
                    {"otp": [_("Enter the code from your authenticator app.")]}
                )
            try:
                security.totp_verify(user=user, code=attrs["otp"])
            except DjangoValidationError as exc:
                attempt.failed()
                raise serializers.ValidationError({"otp": exc.message_dict["code"]}) from exc
            attrs["two_factor"] = True
        elif security.two_factor_required(user):
            attempt.succeeded(complete=False)
            raise serializers.ValidationError(
                _("Set up two-factor authentication in the web interface first.")
            )
        else:
            attrs["two_factor"] = False
        attempt.succeeded()
        attrs["user"] = user
        return attrs


def _throttled(begin, request, **kwargs):
    try:
        return begin(request, **kwargs)
    except throttle.SignInThrottled as exc:
        refusal = exceptions.Throttled(wait=exc.wait)
        refusal.casemgr_code = "sign_in_throttled"
        refusal.casemgr_detail = exc.messages[0]
        raise refusal from exc


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField(help_text=_("When the token stops working."))


class TokenSerializer(serializers.ModelSerializer):
    """One of the user's tokens, as the list shows it: never the token itself."""

    prefix = serializers.CharField(read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = APIToken
        fields = ["id", "prefix", "created", "expiry", "two_factor", "current"]

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


class LogoutSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        required=False, default=False, help_text=_("Revoke every token of yours, not only this.")
    )


@extend_schema(
    request=TokenRequestSerializer,
    responses=TokenResponseSerializer,
    description="A new token on every call, valid until `expiry`.",
)
@api_view(["POST"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([TokenRateThrottle])
def token_obtain(request):
    """Exchange a username and password (and the code, for a user with a second factor) for an
    API token."""
    serializer = TokenRequestSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    token, key = tokens.api_token_create(
        user=serializer.validated_data["user"], two_factor=serializer.validated_data["two_factor"]
    )
    return Response(
        {"token": key, "expiry": serializers.DateTimeField().to_representation(token.expiry)}
    )


@extend_schema(request=LogoutSerializer, responses={204: None})
@api_view(["POST"])
def logout(request):
    """Revoke the token this request was made with (`all`: every token of yours)."""
    serializer = LogoutSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    if serializer.validated_data["all"]:
        tokens.api_tokens_revoke(user=request.user, reason="logout", actor=request.user)
    elif isinstance(request.auth, APIToken):
        tokens.api_token_revoke(token=request.auth, actor=request.user)
    return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens (another user's answer 404): list them, revoke one."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return tokens.api_token_list_for_user(self.request.user)

    def perform_destroy(self, instance):
        tokens.api_token_revoke(token=instance, actor=self.request.user)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "region", "languages"]


class UserSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "role", "organization", "language"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "role", "organization", "language"]


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user, with role and organisation."""
    return Response(MeSerializer(request.user).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users the caller may see: own organisation; everyone for administrators and auditors."""

    serializer_class = UserSerializer
    filterset_fields = ["role", "organization"]

    def get_queryset(self):
        return selectors.user_list_for_user(self.request.user)


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "region"]

    def get_queryset(self):
        return selectors.organization_list_for_user(self.request.user)
