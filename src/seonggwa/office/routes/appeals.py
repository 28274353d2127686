"""Office pages of the appeals part of the evaluation process."""

urlpatterns: list = []
