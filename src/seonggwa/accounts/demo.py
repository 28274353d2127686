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

import functools
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


def ensure_demo_user(username: str, role: str, *, organisation=None, display: str = ""):
    """Create (or bring back) the demo account ``username`` with ``role`` acting for
    ``organisation``; the user, or None when a real account already has the name (left
    unchanged). Refused with debug off, like the ``demo_users`` command.

    The password is :data:`DEMO_PASSWORD`; a demo account disabled when the store was last
    served with debug off becomes usable again. Never staff: the admin is for a separately
    created superuser.
    """
    from seonggwa.accounts.models import Profile

    if not settings.DEBUG:
        raise DemoRefused("demo accounts are created only with SEONGGWA_DEBUG=1 (local use)")
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": display})
    if created:
        user.password = demo_password_hash()
        user.save()
    elif not Profile.objects.filter(user=user, is_demo=True).exists():
        log.warning("%s: a real account has this name; left unchanged", username)
        return None
    elif not user.is_active:
        user.password = demo_password_hash()
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    if user.is_staff:  # demo officers made by earlier versions could open the admin
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    Profile.objects.update_or_create(
        user=user, defaults={"role": role, "organisation": organisation, "is_demo": True})
    return user


@functools.cache
def demo_password_hash() -> str:
    """:data:`DEMO_PASSWORD` hashed once per process: dozens of demo accounts share the
    published password, and hashing it for each took most of a second apiece."""
    return make_password(DEMO_PASSWORD)


class DemoRefused(RuntimeError):
    """Demo accounts or demo data asked for with debug off."""
