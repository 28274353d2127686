"""A refused request is logged as one line, never as a traceback (issue: every 403 wrote
a full traceback to the server log)."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from seonggwa.core.middleware import OneLineRefusals


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line(client, django_user_model, caplog):
    user = django_user_model.objects.create_user("nobody-403", password="pw")
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("office:registry_export"))
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 403 and record.exc_info is None
    line = logging.Formatter().format(record)
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("Forbidden") and "/office/registry/xlsx/export.xlsx" in line


def test_the_filter_keeps_the_reason_and_leaves_errors_alone():
    def record(status, exc):
        return logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                                 "Forbidden (Permission denied): %s", ("/x",),
                                 (type(exc), exc, None) if exc else None)
    refused = record(403, PermissionDenied("담당\n아님"))
    refused.status_code = 403
    assert OneLineRefusals().filter(refused) and refused.exc_info is None
    assert refused.getMessage() == ("Forbidden (Permission denied): /x "
                                    "(PermissionDenied: 담당 아님)")
    failed = record(500, RuntimeError("boom"))
    failed.status_code = 500
    assert OneLineRefusals().filter(failed) and failed.exc_info is not None
