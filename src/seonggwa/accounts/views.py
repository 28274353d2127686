"""The page shown instead of the login form while a login is locked out (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout response (``AXES_LOCKOUT_CALLABLE``): 429 and a page in the user's
    language saying how long to wait — after too many failed logins with the same user
    name from the same address, even the right password is refused until then."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "accounts/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "title": _("로그인이 잠시 막혔습니다"),
    }, status=429)
