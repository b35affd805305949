"""A user's API tokens end with the password or the account that earned them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save


def revoke_tokens_on_password_change_or_deactivation(sender, instance, raw=False, **kwargs):
    """Every token of a user whose password is being changed (``set_password``
    then ``save``: the dashboard, the admin, ``changepassword``, a reset) or who
    is saved inactive is deleted in the same transaction."""
    if raw or instance.pk is None:
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        from core.models import ApiToken

        ApiToken.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    pre_save.connect(
        revoke_tokens_on_password_change_or_deactivation,
        sender=get_user_model(),
        dispatch_uid="vigil-revoke-tokens",
    )
