"""The watch's dashboard pages, under /watch/ (config/urls.py)."""

from django.urls import path

from watch import views

app_name = "watch"
urlpatterns = [
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("settings/", views.PreferencesView.as_view(), name="preferences"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("follow/<str:reference>/", views.FollowView.as_view(), name="follow"),
    path("follow-person/<int:pk>/", views.FollowPersonView.as_view(), name="follow_person"),
    path("alerts/<int:alert_id>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("work/", views.WorkListView.as_view(), name="work"),
    path("work/start/", views.WorkStartView.as_view(), name="work_start"),
    path("work/<int:work_id>/", views.WorkDetailView.as_view(), name="work_detail"),
    path("work/<int:work_id>/status/", views.WorkStatusView.as_view(), name="work_status"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
]
