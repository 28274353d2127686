from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("seonggwa.accounts.urls")),
    path("office/", include("seonggwa.office.urls")),
    path("", include("seonggwa.portal.urls")),
]
