"""Demo accounts: created for local use only, never usable when debug is off.

Every demo account carries ``Profile.is_demo``. With ``SEONGGWA_DEBUG`` off they are made
unusable in three independent places, whatever database they were created in:

- :func:`disable_demo_users` deactivates them and removes their password; it runs after
  every ``migrate`` (a ``post_migrate`` handler) and when ``seonggwa serve`` / ``seonggwa
  run`` start;
- :class:`seonggwa.accounts.backends.AccountBackend` refuses to authenticate them;
- the ``demo_users`` command refuses to create them.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password

DEMO_PASSWORD = "seonggwa-demo"

log = logging.getLogger(__name__)


def disable_demo_users(using: str = "default") -> int:
    """Deactivate every demo account (no password left) unless debug is on; how many."""
    if settings.DEBUG:
        return 0
    users = get_user_model().objects.using(using).filter(profile__is_demo=True)
    disabled = users.exclude(is_active=False, password__startswith=UNUSABLE_PASSWORD_PREFIX
                             ).update(is_active=False, password=make_password(None))
    if disabled:
        log.warning("disabled %d demo account(s): debug is off", disabled)
    return disabled


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """After ``migrate`` on a database the accounts tables exist in: disable demo accounts."""
    if sender.label == "accounts":
        disable_demo_users(using)
