from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import security, selectors
from .models import Organization, User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"})
    otp = serializers.CharField(
        label=_("code from your authenticator app"), required=False, allow_blank=True
    )

    def validate(self, attrs):
        try:
            security.login_lockout_check(username=attrs["username"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="locked") from exc
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to sign in with the username and password given."),
                code="authorization",
            )
        if security.has_confirmed_device(user):
            if not attrs.get("otp"):
                raise serializers.ValidationError(
                    {"otp": [_("Enter the code from your authenticator app.")]}
                )
            try:
                security.totp_verify(user=user, code=attrs["otp"])
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"otp": exc.message_dict["code"]}) from exc
        elif security.two_factor_required(user):
            raise serializers.ValidationError(
                _("Set up two-factor authentication in the web interface first.")
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


@extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([])
def token_obtain(request):
    """Exchange a username and password for an API token."""
    serializer = TokenRequestSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
    return Response({"token": token.key})


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
