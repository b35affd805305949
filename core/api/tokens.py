"""``POST /api/v1/auth/token/``: a new API token for a username and password.

It is the one API door open without a token, so it is throttled per client
address (``API_TOKEN_THROTTLE``, core.client_ip) and the sign-in lockout
(django-axes) applies as on the login page. Each call makes a new token
(django-rest-knox, core.models.ApiToken), named by the caller, expiring after
``API_TOKEN_DAYS``; its owner lists and revokes them on the account page.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.parsers import VigilJSONParser
from core.api.throttling import ScopedThrottle
from core.internals import django_request
from core.models import ApiToken
from core.two_factor import check_code, confirmed_device, must_use_second_factor

LOCKED = "Too many failed sign-in attempts: this account or address is locked for a while."


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, default="API token", help_text=_("What the token is for, e.g. 'weekly report'.")
    )
    otp = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The six-digit code of your authenticator app: needed by superusers and data managers (REQUIRE_TWO_FACTOR)."
        ),
    )

    def validate(self, attrs):
        user = authenticate(request=self.context["request"], username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                gettext("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


AuthTokenResponse = inline_serializer(
    "AuthToken",
    {
        "token": serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`; shown only this once.")),
        "name": serializers.CharField(),
        "expiry": serializers.DateTimeField(),
    },
)


def issue_token(*, user, name: str, second_factor: bool) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored row and the token, which is nowhere else.
    ``second_factor``: the user proved it (a code, a verified session, the server)."""
    return ApiToken.objects.create(user=user, name=name.strip() or "API token", second_factor=second_factor)


def second_factor_refusal(user, code: str) -> Response | None:
    """None when ``user`` needs no second factor or ``code`` is the current one;
    otherwise the answer that says what is missing."""
    if not must_use_second_factor(user):
        return None
    device = confirmed_device(user)
    if device is None:
        return Response(
            {
                "detail": _(
                    "Your account needs a second factor: set up an authenticator app at /accounts/two-factor/ first."
                )
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    if not code:
        return Response(
            {"otp": ["Your account needs a second factor: send the six-digit code of your authenticator app."]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    problem = check_code(device, code)
    return Response({"otp": [problem]}, status=status.HTTP_400_BAD_REQUEST) if problem else None


def live_tokens(user):
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())


class TokenView(APIView):
    api_description = _(
        '``POST {"username": …, "password": …, "name": …, "otp": …}`` → ``{"token": …, "name": …, "expiry": '
        "…}``.\n\n``otp``, the current code of the user's authenticator app, is needed by those who must use a "
        "second factor (core.two_factor); without it, or with a wrong one, no token. A wrong code slows the "
        "next try down (django-otp's throttle)."
    )

    authentication_classes = []
    permission_classes = []
    parser_classes = [VigilJSONParser, FormParser]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth-token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: AuthTokenResponse,
            400: OpenApiResponse(
                description=_(
                    "Wrong username or password, a field missing, or a second factor (otp) needed and missing or wrong."
                )
            ),
            403: OpenApiResponse(
                description=_(
                    "Locked after repeated failures, too many live tokens, or a second factor to set up first."
                )
            ),
            429: OpenApiResponse(description=_("Too many attempts from this address: wait a minute.")),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": LOCKED}, status=status.HTTP_403_FORBIDDEN)
        if not valid:
            # Answered, not raised: a raised error would roll the request's transaction
            # back, and with it django-axes' record of this failed attempt.
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and live_tokens(user).count() >= limit:
            return Response(
                {"detail": f"You have {limit} live API tokens: revoke one on your account page (/accounts/) first."},
                status=status.HTTP_403_FORBIDDEN,
            )
        refusal = second_factor_refusal(user, serializer.validated_data["otp"])
        if refusal is not None:
            return refusal
        instance, token = issue_token(
            user=user, name=serializer.validated_data["name"], second_factor=must_use_second_factor(user)
        )
        user_logged_in.send(sender=type(user), request=django_request(request), user=user)  # the sign-in log (axes)
        expiry = serializers.DateTimeField().to_representation(instance.expiry)
        return Response({"token": token, "name": instance.name, "expiry": expiry})
