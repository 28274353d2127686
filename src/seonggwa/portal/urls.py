from django.urls import path, re_path

import seonggwa.core.converters  # noqa: F401  (registers <key:…>, <year:…>)

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("results/", views.results, name="results"),
    path("results/<year:year>/", views.year_results, name="year"),
    path("services/<key:key>/", views.service_detail, name="service"),
    path("open-data/", views.open_data, name="open_data"),
    re_path(r"^open-data/results\.(?P<fmt>csv|xlsx|json)$", views.open_data_download,
            name="open_data_file"),
    re_path(r"^open-data/(?P<dataset>summaries|narratives)\.(?P<fmt>csv|xlsx|json)$",
            views.open_data_dataset, name="open_data_dataset"),
]
