from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: dates with precision, history context, admin mixins, API tokens."""

    name = "core"
    verbose_name = _("Vigil core")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from core import admin_security, observability, signals

        signals.connect()
        admin_security.register()  # after the admin's autodiscovery, which registered knox's own model
        # The request id lives from the first byte in to the response closed, so Django's own lines logged after
        # the middleware has returned ("Not Found: …", errors) carry it too.
        request_started.connect(observability.begin_request, dispatch_uid="vigil-request-id-begin")
        request_finished.connect(observability.end_request, dispatch_uid="vigil-request-id-end")
