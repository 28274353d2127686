"""Office pages of the submissions part of the evaluation process."""

urlpatterns: list = []
