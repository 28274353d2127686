"""Office pages of the panels part of the evaluation process (:mod:`seonggwa.office.views.panels`)."""

from django.urls import path

from seonggwa.office.views import panels

urlpatterns = [
    path("panels/", panels.panels_index, name="panels"),
    path("panels/pool/", panels.panels_pool, name="panels_pool"),
    path("panels/mine/", panels.panels_mine, name="panels_mine"),
    path("panels/challenges/", panels.panels_challenges, name="panels_challenges"),
    path("panels/challenges/<id:pk>/", panels.panels_challenge, name="panels_challenge"),
    path("panels/rounds/<id:round_id>/", panels.panels_round, name="panels_round"),
    path("panels/rounds/<id:round_id>/<id:subject_id>/", panels.panels_subject,
         name="panels_subject"),
]
