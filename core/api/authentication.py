"""How the API knows who is calling."""

from __future__ import annotations

from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, refusing up front a key no token can
    have (longer than a key, or holding a NUL byte PostgreSQL would choke on):
    401, never a 500."""

    def authenticate_credentials(self, key):
        if len(key) > 40 or "\x00" in key:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
