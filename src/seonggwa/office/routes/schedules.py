"""Office pages of the schedules part of the evaluation process."""

from django.urls import path

from seonggwa.office.views import schedules

urlpatterns = [
    path("schedules/", schedules.schedule_index, name="schedules_index"),
    path("schedules/days-off/", schedules.days_off, name="schedules_days_off"),
    path("schedules/days-off/<id:pk>/remove/", schedules.day_off_remove,
         name="schedules_day_off_remove"),
    path("schedules/windows/<id:window_id>/notice/", schedules.window_notice,
         name="schedules_notice"),
    path("schedules/<id:round_id>/", schedules.schedule_round, name="schedules_round"),
    path("schedules/<id:round_id>/add/", schedules.schedule_add, name="schedules_add"),
    path("schedules/<id:round_id>/subjects/<id:subject_id>/", schedules.schedule_edit,
         name="schedules_edit"),
    path("schedules/<id:round_id>/subjects/<id:subject_id>/early/", schedules.schedule_early,
         name="schedules_early"),
]
