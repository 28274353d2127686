"""Recusal (회피) and challenge (기피): a member stepping aside from a panel, and the
evaluated organisation objecting to a member, decided once by the officer. Both can end a
seat, so this sits above both the conflict check and the seats
(:mod:`~seonggwa.panels.domain.conflicts`, :mod:`~seonggwa.panels.domain.seats`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record, resolve_actor
from seonggwa.evaluations.models import Round, Subject
from seonggwa.panels.domain.conflicts import (
    KIND_LABELS,
    active_seat,
    member_name,
    panel_describe,
    panel_rules,
    require_member,
    require_open_round,
)
from seonggwa.panels.domain.errors import PanelRefused, clean_reason
from seonggwa.panels.domain.machines import CHALLENGE, RECUSAL
from seonggwa.panels.domain.parties import acts_for
from seonggwa.panels.domain.seats import end_seat, round_subjects
from seonggwa.panels.models import (
    Challenge,
    Recusal,
    RecusalState,
    Seat,
    TemplateEntry,
)

# --- recusal (the member) -----------------------------------------------------------

def _require_kind(round_: Round, kind: str) -> None:
    if kind not in panel_rules(round_).conflicts:
        raise PanelRefused(_("이 차수의 평가틀은 '%(kind)s'을(를) 받지 않습니다.")
                           % {"kind": KIND_LABELS[kind]})



def _is_proposed(round_: Round, subject: Subject, user) -> bool:
    """Seated on the panel, or in the round's default composition."""
    return (Seat.objects.filter(round=round_, subject=subject, member=user,
                                ended_at__isnull=True).exists()
            or TemplateEntry.objects.filter(round=round_, member=user).exists())


@transaction.atomic
def recuse(round_: Round, subject: Subject, member, *, reason: str, actor,
           actor_label: str = "") -> Recusal:
    """회피: ``member`` steps aside from ``subject``'s panel (leaving the seat if seated)."""
    require_open_round(round_)
    _require_kind(round_, "recusal")
    require_member(member)
    if not round_subjects(round_).filter(pk=subject.pk).exists():
        raise PanelRefused(_("%(subject)s은(는) %(round)s의 평가 대상이 아닙니다.")
                           % {"subject": subject, "round": round_})
    reason = clean_reason(reason, what=_("회피 사유"))
    if Recusal.objects.filter(round=round_, subject=subject, member=member,
                              state=RecusalState.ACTIVE).exists():
        raise PanelRefused(_("이 평가 대상에는 이미 회피를 신청했습니다."))
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(round=round_, subject=subject, member=member,
                                             reason=reason)
    except IntegrityError as exc:
        raise PanelRefused(_("이 평가 대상에는 이미 회피를 신청했습니다.")) from exc
    record("panels.recusal", recusal, actor=actor, actor_label=actor_label, reason=reason,
           after=panel_describe(round_, subject, member, state=recusal.state))
    seat = active_seat(round_, subject, member)
    if seat is not None:
        end_seat(seat, reason=_("회피: %(reason)s") % {"reason": reason}, actor=actor,
                 actor_label=actor_label)
    return recusal


@transaction.atomic
def withdraw_recusal(recusal: Recusal, *, reason: str, actor, actor_label: str = "") -> Recusal:
    recusal = Recusal.objects.select_for_update().select_related("member").get(pk=recusal.pk)
    require_open_round(recusal.round)
    reason = clean_reason(reason, what=_("철회 사유"))
    return RECUSAL.fire(recusal, "withdraw", actor=actor, actor_label=actor_label,
                        reason=reason)


# --- challenge (the evaluated organisation; decided by the officer) -----------------

@transaction.atomic
def file_challenge(round_: Round, subject: Subject, member, *, reason: str, actor,
                   actor_label: str = "") -> Challenge:
    """기피: the evaluated organisation objects to ``member`` (seated on the subject's
    panel or in the round's default composition), with the reason."""
    require_open_round(round_)
    _require_kind(round_, "challenge")
    if role_of(actor) != Role.OFFICER and not acts_for(actor, subject):
        raise PanelRefused(_("자기 기관이 평가받는 대상에 대해서만 기피를 신청할 수 있습니다."))
    reason = clean_reason(reason, what=_("기피 사유"))
    if not _is_proposed(round_, subject, member):
        raise PanelRefused(_("%(member)s 위원은 이 평가단에 배정되거나 제안된 위원이 아닙니다.")
                           % {"member": member_name(member)})
    if Challenge.objects.filter(round=round_, subject=subject, member=member).exists():
        raise PanelRefused(_("%(member)s 위원에 대한 기피 신청은 이미 있습니다(위원마다 한 번).")
                           % {"member": member_name(member)})
    by, label = resolve_actor(actor, actor_label)
    profile = getattr(actor, "profile", None)
    try:
        with transaction.atomic():
            challenge = Challenge.objects.create(
                round=round_, subject=subject, member=member, reason=reason,
                organisation=profile.organisation if profile else None,
                filed_by=by, filed_label=label)
    except IntegrityError as exc:
        raise PanelRefused(_("%(member)s 위원에 대한 기피 신청은 이미 있습니다(위원마다 한 번).")
                           % {"member": member_name(member)}) from exc
    record("panels.challenge_file", challenge, actor=actor, actor_label=actor_label,
           reason=reason, after=panel_describe(round_, subject, member,
                                                state=challenge.state))
    return challenge


@transaction.atomic
def decide_challenge(challenge: Challenge, *, accept: bool, reason: str, actor,
                     actor_label: str = "") -> Challenge:
    """The officer accepts (the member leaves the panel) or rejects a filed challenge,
    always with a reason. A decided challenge is final."""
    challenge = (Challenge.objects.select_for_update().select_related("member", "round")
                 .get(pk=challenge.pk))
    require_open_round(challenge.round)
    if not (reason or "").strip():
        reason = ""  # the machine names the missing reason with the transition
    else:
        reason = clean_reason(reason, what=_("결정 사유"))
    challenge.decision_reason = reason
    by, label = resolve_actor(actor, actor_label)
    challenge.decided_by, challenge.decided_label = by, label
    challenge.decided_at = timezone.now()
    CHALLENGE.fire(challenge, "accept" if accept else "reject", actor=actor,
                   actor_label=actor_label, reason=reason,
                   update_fields=("decision_reason", "decided_by", "decided_label",
                                  "decided_at"))
    if accept:
        seat = active_seat(challenge.round, challenge.subject, challenge.member)
        if seat is not None:
            end_seat(seat, reason=_("기피 인용: %(reason)s") % {"reason": reason},
                     actor=actor, actor_label=actor_label)
    return challenge
