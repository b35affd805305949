"""The base of every Vigil viewset: rows start from ``visible_to(user)``."""

from __future__ import annotations

import pghistory
from django.db.models import Model
from django.utils.translation import gettext
from rest_framework import mixins, serializers, viewsets

from core.api.preconditions import ETagMixin, lock_version
from core.bin import bin_move, is_binnable
from core.hidden_links import mask_hidden_relations, with_shown_relations
from core.models import Translatable


class KnownParametersMixin:
    """A list answers only to the query parameters it knows: its filters, ``ordering``,
    its pages' parameters. Any other (``?since=`` where there is no such filter, a typo)
    is a 400 naming it and listing those it accepts, never a silently unfiltered list."""

    ALWAYS_ACCEPTED = ("format",)

    def accepted_parameters(self) -> list[str]:
        names = list(self.ALWAYS_ACCEPTED)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names += list(filterset_class.base_filters)
        for backend in self.filter_backends:
            if hasattr(backend, "ordering_param"):
                names.append(backend.ordering_param)
        paginator = self.paginator
        for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
            if getattr(paginator, attribute, None):
                names.append(getattr(paginator, attribute))
        return sorted(set(names))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "action", None) == "list":
            accepted = self.accepted_parameters()
            unknown = sorted(set(request.query_params) - set(accepted))
            if unknown:
                message = gettext("Unknown parameter. This list accepts: %(accepted)s.") % {
                    "accepted": ", ".join(accepted)
                }
                raise serializers.ValidationError({name: [message] for name in unknown})


class VisibleRowsMixin:
    """Every row, in lists, details, updates and deletes, comes from
    ``Model.objects.visible_to(request.user)``: an object of a case outside the
    user's team is a 404, whatever the method."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A token is read here, after the history middleware ran: pghistory's request
        # records the user id when DRF sets it; add the username the middleware
        # records for session users, so history reads the same for both.
        if request.user.is_authenticated and request.method not in ("GET", "HEAD", "OPTIONS"):
            pghistory.context(username=request.user.get_username())

    def get_queryset(self):
        rows = super().get_queryset().visible_to(self.request.user)
        if issubclass(rows.model, Translatable):
            rows = rows.prefetch_related("translations")  # the page's translations, in one query
        links = self.named_links()
        return with_shown_relations(rows, self.request.user, links) if links else rows

    def named_links(self) -> tuple[str, ...]:
        """The links the serializer names beside their ids (``readable``), but the row's
        own case (visible, or the row would not be)."""
        model = self.queryset.model
        return tuple(
            name
            for name in getattr(self.get_serializer_class(), "readable", ())
            if name != getattr(model, "case_path", None)
        )

    def get_serializer(self, *args, **kwargs):
        """A named link to a record the user may not see reads "(a record you may not
        see)", never its name (core/hidden_links.py)."""
        instance = args[0] if args else kwargs.get("instance")
        rows = instance if isinstance(instance, list) else [instance] if isinstance(instance, Model) else []
        links = self.named_links() if rows else ()
        if links:
            mask_hidden_relations(rows, self.request.user, links)
        return super().get_serializer(*args, **kwargs)


class VigilViewSet(ETagMixin, KnownParametersMixin, VisibleRowsMixin, viewsets.ModelViewSet):
    """A model's API: declare ``queryset`` (with its select/prefetch),
    ``serializer_class``, ``filterset_class`` and ``ordering_fields``.

    Changes and deletes need ``If-Match`` (ETagMixin). DELETE of a case,
    person, request, event or source moves it to the bin (core.bin), as in the
    admin; other records are deleted.
    """

    def perform_destroy(self, instance):
        lock_version(instance)  # the version If-Match named, held until the request ends
        if is_binnable(instance):
            bin_move(instance, user=self.request.user)
        else:
            instance.delete()


class ReadCreateViewSet(
    ETagMixin,
    KnownParametersMixin,
    VisibleRowsMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are only ever added (a request's updates, a government's
    statements): list, read and create; no update, no delete."""
