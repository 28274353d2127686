"""The refusal of a panel operation, and the check every reason text goes through."""

from __future__ import annotations

from django.utils.translation import gettext as _

from seonggwa.evaluations.domain.errors import WorkflowError

#: Longest reason accepted: a paragraph or two, as on the paper forms.
MAX_REASON = 2000


class PanelRefused(WorkflowError):
    """A refused panel operation; the message says why, in the active language."""


def clean_reason(text, *, what: str) -> str:
    """``text`` stripped, or a refusal naming ``what`` when it is missing, too long or
    holds control characters (a NUL would be refused by PostgreSQL with an error page)."""
    value = (text or "").strip() if isinstance(text, str) else ""
    if not value:
        raise PanelRefused(_("%(what)s을(를) 적어 주십시오.") % {"what": what})
    if len(value) > MAX_REASON:
        raise PanelRefused(_("%(what)s은(는) %(max)s자 이내로 적어 주십시오(지금 %(n)s자).")
                           % {"what": what, "max": MAX_REASON, "n": len(value)})
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise PanelRefused(_("%(what)s에 쓸 수 없는 제어 문자가 들어 있습니다.") % {"what": what})
    return value
