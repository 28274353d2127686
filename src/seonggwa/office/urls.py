from django.urls import include, path

import seonggwa.core.converters  # noqa: F401  (registers <key:…>, <year:…>, <id:…>)

from .views import (
    assignments,
    dashboard,
    due,
    registry,
    results,
    rounds,
    services,
    transfer,
    whatif,
)

app_name = "office"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("services/", services.service_list_view, name="services"),
    path("services/new/", registry.service_create, name="service_new"),
    path("services/<key:key>/", services.service_detail, name="service"),
    path("services/<key:key>/record/", registry.service_record, name="service_record"),
    path("services/<key:key>/registry/<key:kind>/new/", registry.registry_row,
         name="registry_add"),
    path("services/<key:key>/registry/<key:kind>/<id:pk>/", registry.registry_row,
         name="registry_edit"),
    path("services/<key:key>/registry/contract/<id:pk>/end/", registry.contract_end,
         name="contract_end"),
    path("services/<key:key>/follow-up/<id:item_id>/", services.follow_up,
         name="follow_up"),
    path("what-if/", whatif.what_if_view, name="what_if"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/<id:pk>/", rounds.round_detail, name="round"),
    path("rounds/<id:pk>/<str:name>/", rounds.round_transition, name="round_transition"),
    path("results/<id:pk>/", results.result_detail, name="result"),
    path("results/<id:pk>/<str:name>/", results.result_transition,
         name="result_transition"),
    path("assignments/", assignments.assignment_index, name="assignments"),
    path("assignments/<id:round_id>/", assignments.assignment_round,
         name="assignment_round"),
    path("due/", due.due_index, name="due_index"),
    path("due/<year:year>/", due.due_view, name="due"),
    path("xlsx/", transfer.transfer, name="transfer"),
    path("xlsx/template.xlsx", transfer.template_download, name="xlsx_template"),
    path("xlsx/export/<year:year>.xlsx", transfer.export_year, name="xlsx_export"),
    path("registry/xlsx/", registry.registry_transfer, name="registry_transfer"),
    path("registry/xlsx/template.xlsx", registry.registry_template,
         name="registry_template"),
    path("registry/xlsx/export.xlsx", registry.registry_export, name="registry_export"),
    # The evaluation as people run it: schedules, submissions, panels, sheets, appeals.
    path("", include("seonggwa.office.routes.schedules")),
    path("", include("seonggwa.office.routes.submissions")),
    path("", include("seonggwa.office.routes.panels")),
    path("", include("seonggwa.office.routes.sheets")),
    path("", include("seonggwa.office.routes.appeals")),
]
