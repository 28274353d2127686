"""Office pages of the appeals part of the evaluation process."""

from django.urls import path

from seonggwa.office.views import appeals

urlpatterns = [
    path("notices/", appeals.notice_list, name="appeals_notices"),
    path("appeals/", appeals.appeal_index, name="appeals_index"),
    path("appeals/rounds/<id:pk>/", appeals.release_round, name="appeals_release"),
    path("appeals/<id:pk>/", appeals.appeal_case, name="appeals_case"),
    path("appeals/<id:pk>/files/<id:file_id>/", appeals.objection_file, name="appeals_file"),
]
