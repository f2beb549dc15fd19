from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/<int:case_id>/list/", views.listing_create, name="listing-create"),
    path("listings/<int:listing_id>/<str:action>/", views.listing_action, name="listing-action"),
]
