"""Every dashboard page's header shows the signed-in user's unread notifications."""

from __future__ import annotations

UNREAD = "_vigil_unread_notifications"


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        """Lazy (a page that does not show the header pays nothing), and counted once per
        request however many templates of the page ask (kept on the request)."""
        if not hasattr(request, UNREAD):
            from watch.selectors import unread_count

            setattr(request, UNREAD, unread_count(user=user))
        return getattr(request, UNREAD)

    return {"unread_notifications": count}
