"""What the office menu needs to know about the signed-in user: their role (which
parts of the evaluation are theirs) and how many notices they have not read."""

from __future__ import annotations

from django import template

from seonggwa.accounts.models import role_of
from seonggwa.appeals.domain.notices import unread_count

register = template.Library()


@register.simple_tag
def office_role(user) -> str:
    return role_of(user) or ""


@register.simple_tag
def unread_notices(user) -> int:
    return unread_count(user)
