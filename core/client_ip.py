"""Who is calling: the one place that decides a request's client address.

Behind reverse proxies every request comes from the nearest proxy's address
(``REMOTE_ADDR``); each proxy appends the address it was connected from to
``X-Forwarded-For``. Only the hops our own proxies appended can be believed:
anything left of them was written by the client and may be forged. With
``TRUSTED_PROXY_COUNT`` proxies in front of Vigil, the client is the hop that
many places from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR`` (the
rightmost hop no trusted proxy vouches for being a proxy). With no proxy
(0, the default) it is ``REMOTE_ADDR``, whatever the headers say.

The sign-in lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the sign-in
logs, the API throttles (core.api.throttling) and the view and export logs
all ask here.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, as far as the configured trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return _address(remote)
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    chain = [*forwarded, remote]
    # chain[-1] is the nearest proxy; each trusted proxy vouches for the hop left of it.
    # A chain shorter than that was written entirely by our proxies: its leftmost hop.
    candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
    # A hop that is no address (a misconfigured proxy): the nearest address we know.
    return _address(candidate) or _address(remote)
