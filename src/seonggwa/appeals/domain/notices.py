"""Notices: what a user is told in the app (read / unread), also sent by e-mail through
Django's mail backend (``SEONGGWA_EMAIL_BACKEND``; the console by default).

The e-mails go out after the transaction that made the notices commits, so a refused
release sends nothing; a mail server that fails leaves the in-app notices in place (the
``emailed`` flag says which were sent) and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from seonggwa.appeals.models import Notice
from seonggwa.appeals.models.notices import TITLE_MAX

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    user: object
    title: str
    body: str
    url: str = ""
    result: object = None


def send(messages: Iterable[Message], *, site_url: str = "") -> list[Notice]:
    """Store one notice per message and e-mail those whose user has an address."""
    notices = Notice.objects.bulk_create([
        Notice(user=m.user, title=m.title[:TITLE_MAX], body=m.body, url=m.url[:300],
               result=m.result) for m in messages], batch_size=2000)
    mailed = [n for n in notices if n.user.email]
    if mailed:
        transaction.on_commit(lambda: _email(mailed, site_url))
    return notices


def _email(notices: list[Notice], site_url: str) -> None:
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    emails = [EmailMessage(n.title, _with_link(n, site_url), sender, [n.user.email])
              for n in notices]
    try:
        with get_connection() as connection:
            connection.send_messages(emails)
    except Exception:  # the in-app notice stands; the failure is for the operator
        log.exception("notice e-mails failed (%s notices kept in the app)", len(notices))
        return
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed=True)


def _with_link(notice: Notice, site_url: str) -> str:
    if notice.url and site_url:
        return f"{notice.body}\n\n{site_url.rstrip('/')}{notice.url}"
    return notice.body


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user).unread().count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notices read (``ids``: only those; ``None``: all). Another user's
    notice is never touched. Returns how many changed."""
    qs = Notice.objects.filter(user=user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
