"""Django's model backend, except that demo accounts never log in with debug off."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if settings.DEBUG:
            return True
        profile = getattr(user, "profile", None)
        return not (profile is not None and profile.is_demo)
