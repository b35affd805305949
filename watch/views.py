"""The watch's dashboard pages: notifications, preferences, "what changed
since", "My background work", the development outbox, follow/unfollow, alert acknowledgement and the
e-mails' unsubscribe link. Each calls a selector or a service."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from casework.selectors import visible_case
from people.selectors import visible_person
from watch import selectors, services
from watch.digest import changes_since
from watch.forms import AcknowledgeForm, PreferencesForm, SinceForm
from watch.mail import read_unsubscribe_token
from watch.models import Preference


class NotificationsView(LoginRequiredMixin, TemplateView):
    template_name = "watch/notifications.html"

    def get_context_data(self, **kwargs):
        filterset, notifications = selectors.notification_list(user=self.request.user, params=self.request.GET)
        page = Paginator(notifications, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page, "filter_form": filterset.form}

    def post(self, request):
        services.notifications_mark_read(user=request.user)
        messages.success(request, gettext("All notifications marked as read."))
        return HttpResponseRedirect(reverse("watch:notifications"))


class PreferencesView(LoginRequiredMixin, View):
    template_name = "watch/preferences.html"

    def _form(self, data=None):
        user = self.request.user
        watch = services.settings_for(user=user)
        deliveries = {
            t: services.delivery_for(user=user, trigger=t) for t in dict(Preference._meta.get_field("trigger").choices)
        }
        initial = {"digest": watch.digest, "quiet_from": watch.quiet_from, "quiet_until": watch.quiet_until}
        return PreferencesForm(data, initial=initial, deliveries=deliveries)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.preferences_save(
                    user=request.user,
                    deliveries=form.deliveries(),
                    digest=form.cleaned_data["digest"],
                    quiet_from=form.cleaned_data["quiet_from"],
                    quiet_until=form.cleaned_data["quiet_until"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, gettext("Your notification settings are saved."))
                return HttpResponseRedirect(reverse("watch:preferences"))
        return render(request, self.template_name, {"form": form}, status=400)


class ChangesView(LoginRequiredMixin, TemplateView):
    """What changed since [date], for one case or every case the user follows; printable."""

    template_name = "watch/changes.html"

    def get_context_data(self, **kwargs):
        form = SinceForm(self.request.GET)
        if not form.is_valid():
            raise Http404("Bad date")
        since_day = form.cleaned_data["since"] or (timezone.localdate() - datetime.timedelta(days=7))
        since = timezone.make_aware(datetime.datetime.combine(since_day, datetime.time.min))
        case = None
        if form.cleaned_data["case"]:
            case = visible_case(user=self.request.user, reference=form.cleaned_data["case"])
        groups = changes_since(user=self.request.user, since=since, case=case)
        return {**super().get_context_data(**kwargs), "since": since_day, "case": case, "groups": groups}


class FollowView(LoginRequiredMixin, View):
    def post(self, request, reference: str):
        case = visible_case(user=request.user, reference=reference)
        if request.POST.get("follow") == "0":
            services.unfollow_case(case=case, user=request.user)
            messages.success(request, gettext("You no longer follow %(what)s.") % {"what": case.reference})
        else:
            services.follow_case(case=case, user=request.user)
            messages.success(request, gettext("You follow %(what)s.") % {"what": case.reference})
        return HttpResponseRedirect(case.get_absolute_url())


class FollowPersonView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        person = visible_person(user=request.user, pk=pk)
        follow = request.POST.get("follow") != "0"
        services.follow_person(person=person, user=request.user, follow=follow)
        messages.success(
            request,
            (gettext("You follow %(what)s.") if follow else gettext("You no longer follow %(what)s."))
            % {"what": person},
        )
        return HttpResponseRedirect(person.get_absolute_url())


class AcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, alert_id: int):
        alert = selectors.alert_for(user=request.user, pk=alert_id)
        form = AcknowledgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Say what is being done about the alert to acknowledge it."))
            return HttpResponseRedirect(reverse("home"))
        try:
            services.alert_acknowledge(alert=alert, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Alert acknowledged."))
        return HttpResponseRedirect(reverse("home"))


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: the mail client POSTs with no session; the token is signed
class UnsubscribeView(View):
    template_name = "watch/unsubscribe.html"

    def _user_and_trigger(self, token: str):
        found = read_unsubscribe_token(token)
        if found is None:
            raise Http404("This link is not valid.")
        return selectors.subscriber(pk=found[0]), found[1]

    def get(self, request, token: str):
        _user, trigger = self._user_and_trigger(token)
        return render(request, self.template_name, {"trigger": trigger, "done": False})

    def post(self, request, token: str):
        user, trigger = self._user_and_trigger(token)
        services.unsubscribe(user=user, trigger=trigger)
        return render(request, self.template_name, {"trigger": trigger, "done": True})


class WorkListView(LoginRequiredMixin, TemplateView):
    """My background work: what I started (imports, exports, duplicate passes, …), newest first."""

    template_name = "watch/work_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.work_for(user=self.request.user), 50).get_page(self.request.GET.get("page"))
        running = any(not work.finished for work in page)
        startable = services.startable_work(user=self.request.user)
        return {**super().get_context_data(**kwargs), "page": page, "refresh": running, "startable": startable}


class WorkStartView(LoginRequiredMixin, UserPassesTestMixin, View):
    """A data manager starts long work (the full duplicate pass, the files' verification) and watches it."""

    def test_func(self):
        return bool(services.startable_work(user=self.request.user))

    def get(self, request):
        return HttpResponseRedirect(reverse("watch:work"))

    def post(self, request):
        try:
            work = services.work_start(user=request.user, kind=request.POST.get("kind", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("watch:work"))
        return HttpResponseRedirect(reverse("watch:work_detail", args=[work.pk]))


class WorkDetailView(LoginRequiredMixin, TemplateView):
    """One background work of mine: it refreshes itself until it is finished."""

    template_name = "watch/work_detail.html"

    def get_context_data(self, **kwargs):
        work = selectors.work_of(user=self.request.user, pk=self.kwargs["work_id"])
        return {**super().get_context_data(**kwargs), "work": work, "refresh": not work.finished}


class WorkStatusView(LoginRequiredMixin, View):
    """The same as JSON, for a page that polls it: state, done, total, percent, message, result."""

    def get(self, request, work_id: int):
        work = selectors.work_of(user=request.user, pk=work_id)
        return JsonResponse(
            {
                "id": work.pk,
                "kind": work.kind,
                "title": work.title,
                "state": work.state,
                "done": work.done,
                "total": work.total,
                "percent": work.percent,
                "message": work.message,
                "result_url": work.result_url,
                "finished": work.finished,
            }
        )


class OutboxView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Development only: the e-mails Vigil would have sent (EMAIL_BACKEND watch.mail.OutboxBackend)."""

    template_name = "watch/outbox.html"

    def test_func(self):
        return settings.DEBUG and self.request.user.is_superuser

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "messages_sent": selectors.outbox(user=self.request.user)}
