"""Office pages of the sheets part of the evaluation process."""

from django.urls import path

from seonggwa.office.views import sheets

urlpatterns: list = [
    path("sheets/", sheets.sheets_mine, name="sheets_mine"),
    path("sheets/<id:round_id>/<id:subject_id>/", sheets.sheets_edit, name="sheets_edit"),
    path("sheets/sheet/<id:pk>/", sheets.sheets_detail, name="sheets_detail"),
    path("sheets/sheet/<id:pk>/versions/<id:number>/", sheets.sheets_version,
         name="sheets_version"),
    path("sheets/sheet/<id:pk>/compare/", sheets.sheets_compare, name="sheets_compare"),
    path("sheets/sheet/<id:pk>/reopen/", sheets.sheets_reopen, name="sheets_reopen"),
    path("sheets/rounds/<id:round_id>/", sheets.sheets_round, name="sheets_round"),
    path("sheets/rounds/<id:round_id>/desk-review/", sheets.sheets_desk, name="sheets_desk"),
    path("sheets/rounds/<id:round_id>/compute/", sheets.sheets_compute, name="sheets_compute"),
    path("sheets/rounds/<id:round_id>/subjects/<id:subject_id>/", sheets.sheets_aggregation,
         name="sheets_aggregation"),
]
