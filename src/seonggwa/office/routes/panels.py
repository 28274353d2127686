"""Office pages of the panels part of the evaluation process."""

urlpatterns: list = []
