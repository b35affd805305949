"""How the API knows who is calling: ``Authorization: Token <token>``, a
django-rest-knox token (core.models.ApiToken), or the dashboard's session."""

from __future__ import annotations

import datetime
import re
from hmac import compare_digest

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from core.backends import permission_names, remember_permissions
from core.models import ApiToken
from core.two_factor import must_use_second_factor

TOKEN = re.compile(r"[0-9a-f]{64}")
#: last_used is written at most this often per token: not a write per request
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check in one query (the token with its user and the user's
    permissions, which the backend then does not read again), refusing up
    front a string no token can be (a NUL byte PostgreSQL would choke on, the
    wrong length): 401, never a 500. An expired token is refused, not deleted
    (its owner still sees it, expired, on the account page)."""

    def authenticate_credentials(self, token: bytes):
        key = token.decode("latin-1")
        if not TOKEN.fullmatch(key):
            raise exceptions.AuthenticationFailed(gettext("Invalid token."))
        digest = hash_token(key)
        candidates = (
            ApiToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(permissions=ArraySubquery(permission_names(OuterRef("user_id"))))
        )
        for api_token in candidates:
            if not compare_digest(digest, api_token.digest):
                continue
            now = timezone.now()
            if api_token.expiry is not None and api_token.expiry <= now:
                raise exceptions.AuthenticationFailed(gettext("Token expired: get a new one."))
            if not api_token.user.is_active:
                raise exceptions.AuthenticationFailed(gettext("User inactive or deleted."))
            remember_permissions(api_token.user, api_token.permissions)
            if not api_token.second_factor and must_use_second_factor(api_token.user):
                raise exceptions.PermissionDenied(
                    gettext(
                        "This token was made without your second factor, which your account now needs: "
                        'make a new one (POST /api/v1/auth/token/ with "otp").'
                    )
                )
            if api_token.last_used is None or now - api_token.last_used >= LAST_USED_PRECISION:
                ApiToken.objects.filter(digest=api_token.digest).update(last_used=now)
            return api_token.user, api_token
        raise exceptions.AuthenticationFailed(gettext("Invalid token."))
