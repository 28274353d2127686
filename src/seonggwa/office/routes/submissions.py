"""Office pages of the submissions part of the evaluation process, and the audit history of
a round's process (officers)."""

from django.urls import path

from ..views import audit_history, submissions

_SUBJECT = "submissions/rounds/<id:round_id>/subjects/<id:subject_id>/"

urlpatterns = [
    path("submissions/", submissions.index, name="submissions_index"),
    path("submissions/rounds/<id:round_id>/", submissions.round_overview,
         name="submissions_round"),
    path(_SUBJECT, submissions.subject_page, name="submissions_subject"),
    path(_SUBJECT + "documents/<key:code>/", submissions.upload, name="submissions_upload"),
    path(_SUBJECT + "actuals/", submissions.actuals, name="submissions_actuals"),
    path(_SUBJECT + "actuals.xlsx", submissions.actuals_template,
         name="submissions_actuals_template"),
    path(_SUBJECT + "submit/", submissions.submit, name="submissions_submit"),
    path(_SUBJECT + "reopen/", submissions.reopen, name="submissions_reopen"),
    path("submissions/documents/<id:pk>/", submissions.download,
         name="submissions_download"),
    path("submissions/rounds/<id:round_id>/history/", audit_history.history,
         name="submissions_history"),
    path("submissions/rounds/<id:round_id>/history.<str:fmt>", audit_history.history_export,
         name="submissions_history_export"),
]
