from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notifications_read, name="notifications-read"),
    path("preferences/", views.notification_preferences, name="notifications-preferences"),
]
