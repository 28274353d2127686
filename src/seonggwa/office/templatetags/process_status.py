"""``{% process_status round %}`` and ``{% process_status round subject %}``: where the
evaluation process stands (:mod:`seonggwa.office.process_status`), for officers, on a
round whose framework describes a process; nothing otherwise."""

from __future__ import annotations

from django import template

from seonggwa.office import process_status as status

register = template.Library()


@register.inclusion_tag("office/includes/process_status.html", takes_context=True)
def process_status(context, round_, subject=None) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if (user is None or not user.has_perm("evaluations.manage_round", round_)
            or not status.has_process(round_)):
        return {"shown": False}
    if subject is None:
        return {"shown": True, "r": status.round_process(round_)}
    return {"shown": True, "s": status.subject_process(round_, subject)}
