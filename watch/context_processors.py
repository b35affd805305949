"""Every dashboard page's header shows the signed-in user's unread notifications."""

from __future__ import annotations


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:  # lazy: pages that do not show the header pay nothing
        from watch.selectors import unread_count

        return unread_count(user=user)

    return {"unread_notifications": count}
