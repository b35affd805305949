from django.urls import path

from watch.api.views import ChangeFeedView

urlpatterns = [path("changes/", ChangeFeedView.as_view(), name="api-changes")]
