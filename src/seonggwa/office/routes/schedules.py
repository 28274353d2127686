"""Office pages of the schedules part of the evaluation process."""

urlpatterns: list = []
