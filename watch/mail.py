"""E-mail that never leaks.

An e-mail about a restricted case carries no name, no title and no content:
only "There is news in a case you follow" and a link. A notification about a
sensitive detail (a sensitive event, a risk level) is treated the same in every
case. Whether a case is restricted is read again when the e-mail is sent, and
the notification is re-checked against ``visible_to`` then: access may have
changed since it was queued. Every e-mail carries a signed one-click
unsubscribe link (and the List-Unsubscribe headers of RFC 8058).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from casework.models import Case, Confidentiality
from core.locale import local_time, override_for
from watch.models.choices import EmailState, Trigger

UNSUBSCRIBE_SALT = "watch.unsubscribe"
GENERIC_TEXT = gettext_lazy("There is news in a case you follow.")
GENERIC_URGENT_TEXT = gettext_lazy(
    "Urgent: a forced-return alert in a case you follow. Please sign in to Vigil and acknowledge it."
)


class OutboxBackend(BaseEmailBackend):
    """Development e-mail: kept in the database for the dashboard's outbox page."""

    def send_messages(self, email_messages):
        from watch.models import OutboxMessage

        for message in email_messages:
            OutboxMessage.objects.create(
                to=", ".join(message.to),
                subject=message.subject,
                body=message.body,
                headers=dict(message.extra_headers),
            )
        return len(email_messages)


def unsubscribe_token(*, user, trigger: str) -> str:
    return signing.dumps({"u": user.pk, "t": trigger}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return int(data["u"]), str(data["t"])


def absolute(path: str) -> str:
    return f"{settings.VIGIL_BASE_URL}{path}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def notification_email(notification) -> EmailMessage | None:
    """The e-mail for ``notification`` in its user's language and time zone, or None when it may
    no longer be sent."""
    with override_for(notification.user):
        return _notification_email(notification)


def _notification_email(notification) -> EmailMessage | None:
    user = notification.user
    if not user.is_active or not user.email:
        return None
    case = None
    if notification.case_id is not None:
        case = Case.objects.visible_to(user).filter(pk=notification.case_id).first()
        if case is None:
            return None  # no longer visible to them
    withhold_content = (
        notification.sensitive
        or notification.restricted
        or (case is not None and case.confidentiality == Confidentiality.RESTRICTED)
    )
    link = absolute(notification.url or reverse("watch:notifications"))
    unsubscribe = absolute(
        reverse("watch:unsubscribe", args=[unsubscribe_token(user=user, trigger=notification.trigger)])
    )
    if withhold_content:
        text = str(GENERIC_URGENT_TEXT if notification.urgent else GENERIC_TEXT)
        subject = gettext("Vigil: urgent alert") if notification.urgent else gettext("Vigil: news in a case you follow")
        link = absolute(reverse("watch:notifications"))
    else:
        text = notification.shown_text
        label = Trigger(notification.trigger).label
        subject = (gettext("Vigil URGENT: %(what)s") if notification.urgent else gettext("Vigil: %(what)s")) % {
            "what": label
        }
    body = (
        f"{text}\n({local_time(notification.created_at)})\n\n{link}\n\n"
        + gettext("You receive this because of your notification settings in Vigil.")
        + "\n"
        + gettext("Stop these e-mails (%(what)s): %(url)s")
        % {"what": Trigger(notification.trigger).label, "url": unsubscribe}
        + "\n"
    )
    return EmailMessage(
        subject=subject[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=unsubscribe_headers(unsubscribe),
    )


def send_notification_email(notification_id: int) -> str:
    """Send (or withhold) one notification's e-mail; idempotent: a sent one is not sent again."""
    from django.db import transaction

    from watch.models import Notification

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.email_state != EmailState.PENDING:
            return "nothing to send"
        message = notification_email(notification)
        if message is None:
            notification.email_state = EmailState.WITHHELD
            notification.save(update_fields=["email_state"])
            return "withheld"
        message.send()  # raises on an SMTP error: the job is retried
        notification.email_state, notification.emailed_at = EmailState.SENT, timezone.now()
        notification.save(update_fields=["email_state", "emailed_at"])
        return "sent"
