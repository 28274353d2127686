"""The project's URLs plus one trivial view: the framework's own ceiling under load.

Reachable only with the bench settings (``bench.settings_load``), never in the product.
The view goes through the whole middleware stack (sessions, locale, CSRF, security
headers) and renders nothing: what any page pays before its own work.
"""

from django.http import HttpResponse
from django.urls import path

from seonggwa.urls import urlpatterns as _project

TRIVIAL_PATH = "__bench__/trivial/"


def trivial(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path(TRIVIAL_PATH, trivial, name="bench_trivial"), *_project]
