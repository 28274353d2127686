"""The pool of panel members: the officer enrols an evaluator-role user with their
position; the member (or the officer) keeps the position up to date."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record
from seonggwa.panels.domain.errors import PanelRefused
from seonggwa.panels.models import MemberProfile

MAX_POSITION = 100


def _clean_position(position) -> str:
    value = (position or "").strip() if isinstance(position, str) else ""
    if len(value) > MAX_POSITION:
        raise PanelRefused(_("직위는 %(max)s자 이내로 적어 주십시오.") % {"max": MAX_POSITION})
    if any(ord(c) < 32 for c in value):
        raise PanelRefused(_("직위에 쓸 수 없는 제어 문자가 들어 있습니다."))
    return value


@transaction.atomic
def enrol(user, *, position: str = "", actor, actor_label: str = "") -> MemberProfile:
    """Add an evaluator-role user to the pool."""
    if role_of(user) != Role.EVALUATOR or user.is_superuser:
        raise PanelRefused(_("평가위원 역할의 사용자만 평가위원 후보로 등록할 수 있습니다."))
    position = _clean_position(position)
    if MemberProfile.objects.filter(user=user).exists():
        raise PanelRefused(_("이미 평가위원 후보로 등록된 사용자입니다."))
    try:
        with transaction.atomic():
            profile = MemberProfile.objects.create(user=user, position=position)
    except IntegrityError as exc:
        raise PanelRefused(_("이미 평가위원 후보로 등록된 사용자입니다.")) from exc
    record("panels.member_enrol", profile, actor=actor, actor_label=actor_label,
           after={"member": user.get_full_name() or user.get_username(),
                  "position": position})
    return profile


@transaction.atomic
def set_position(profile: MemberProfile, position: str, *, actor,
                 actor_label: str = "") -> MemberProfile:
    position = _clean_position(position)
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.position == position:
        return profile
    before = {"position": profile.position}
    profile.position = position
    profile.save(update_fields=["position", "updated_at"])
    record("panels.member_position", profile, actor=actor, actor_label=actor_label,
           before=before, after={"position": position})
    return profile
