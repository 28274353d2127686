from django.urls import path

from .views import dashboard, due, services, transfer, whatif

app_name = "office"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("services/", services.service_list_view, name="services"),
    path("services/<str:key>/", services.service_detail, name="service"),
    path("services/<str:key>/follow-up/<int:item_id>/", services.follow_up,
         name="follow_up"),
    path("what-if/", whatif.what_if_view, name="what_if"),
    path("due/", due.due_index, name="due_index"),
    path("due/<int:year>/", due.due_view, name="due"),
    path("xlsx/", transfer.transfer, name="transfer"),
    path("xlsx/template.xlsx", transfer.template_download, name="xlsx_template"),
    path("xlsx/export/<int:year>.xlsx", transfer.export_year, name="xlsx_export"),
]
