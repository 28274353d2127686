"""Office pages of the sheets part of the evaluation process."""

urlpatterns: list = []
