"""URL patterns of the office, one module per part of the evaluation process.

Each module holds ``urlpatterns`` without an ``app_name``: they are included into the
``office`` namespace by :mod:`seonggwa.office.urls`, so their names must be unique there
(prefix them with the part, e.g. ``schedules_…``)."""
