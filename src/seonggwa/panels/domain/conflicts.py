"""The conflict-of-interest check that runs before anyone is seated, and the acts that
feed it: declarations, recusals (회피), challenges (기피) and conflicts lifted by the
officer.

Conflicts are typed, as in HotCRP: each kind has a label and a reason in words, and only
the kinds in :data:`LIFTABLE` — facts read from the registry that can be broader than
the real tie (the same district, the commissioning department) — may be lifted, by the
officer, with a reason, audited. The member's own declaration and recusal, the
organisation's challenge and membership of the evaluated organisation are never lifted
by anyone else: the member withdraws a declaration or recusal, the officer decides a
challenge once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record, resolve_actor
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Round, Status, Subject
from seonggwa.panels.domain import rules
from seonggwa.panels.domain.errors import PanelRefused, clean_reason
from seonggwa.panels.domain.machines import WAIVER
from seonggwa.panels.domain.parties import EvaluatedSide, evaluated_side
from seonggwa.panels.models import (
    Challenge,
    ChallengeState,
    ConflictKind,
    ConflictWaiver,
    DeclaredConflict,
    Recusal,
    RecusalState,
    Seat,
    WaiverState,
)
from seonggwa.registry.models import Organisation

#: kind -> its label (the vocabulary of :class:`~seonggwa.panels.models.ConflictKind`).
KIND_LABELS = dict(ConflictKind.choices)

#: The kinds the officer may lift for one member on one panel, with a reason.
LIFTABLE = frozenset({"same_district", "same_employer"})


@dataclass(frozen=True)
class Conflict:
    """One reason why a member may not sit on a subject's panel."""

    kind: str
    reason: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def liftable(self) -> bool:
        return self.kind in LIFTABLE

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


def panel_rules(round_: Round) -> rules.PanelRules:
    """The composition and the checks of ``round_``'s framework (no framework, or no
    ``process.panel``: no panel, every check)."""
    try:
        framework = framework_for(round_)
    except WorkflowError:
        return rules.NO_PANEL
    return rules.read(framework.process.get(rules.SECTION))


def require_open_round(round_: Round) -> None:
    if round_.status != Status.DRAFT:
        raise PanelRefused(_("%(round)s은(는) %(state)s 상태라 평가단을 바꿀 수 없습니다.")
                           % {"round": round_, "state": round_.get_status_display()})


def member_name(user) -> str:
    return user.get_full_name() or user.get_username()


@dataclass
class PanelFacts:
    """What the check compares for one subject in one round, read once for any number of
    candidates (the assignment screen checks the whole pool)."""

    round: Round
    subject: Subject
    kinds: tuple[str, ...]
    side: EvaluatedSide
    declared: dict = field(default_factory=lambda: defaultdict(list))
    recusals: dict = field(default_factory=dict)
    challenges: dict = field(default_factory=dict)
    waivers: dict = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def load(cls, round_: Round, subject: Subject, members=None) -> PanelFacts:
        facts = cls(round=round_, subject=subject, kinds=panel_rules(round_).conflicts,
                    side=evaluated_side(subject))
        related = set(facts.side.organisation_ids)
        if facts.side.department is not None:
            related.add(facts.side.department.pk)
        only = {} if members is None else {"member__in": members}
        declared = (DeclaredConflict.objects.filter(withdrawn_at__isnull=True, **only)
                    .filter(Q(organisation__in=related) | Q(subject=subject))
                    .select_related("organisation", "subject").order_by("declared_at"))
        for d in declared:
            facts.declared[d.member_id].append(d)
        for r in Recusal.objects.filter(round=round_, subject=subject,
                                        state=RecusalState.ACTIVE, **only):
            facts.recusals[r.member_id] = r
        for c in Challenge.objects.filter(round=round_, subject=subject, **only).exclude(
                state=ChallengeState.REJECTED):
            facts.challenges[c.member_id] = c
        for w in ConflictWaiver.objects.filter(round=round_, subject=subject,
                                               state=WaiverState.LIFTED, **only):
            facts.waivers[w.member_id][w.kind] = w
        return facts

    def all_conflicts(self, user) -> list[Conflict]:
        """Every conflict of ``user`` the framework checks, lifted or not."""
        found = []
        for kind in self.kinds:
            found.extend(getattr(self, f"_{kind}")(user))
        return found

    def conflicts(self, user) -> list[Conflict]:
        """The conflicts that keep ``user`` off the panel (the lifted ones left out)."""
        lifted = self.waivers.get(user.pk, {})
        return [c for c in self.all_conflicts(user) if c.kind not in lifted]

    def lifted(self, user) -> list[tuple[Conflict, ConflictWaiver]]:
        lifted = self.waivers.get(user.pk, {})
        return [(c, lifted[c.kind]) for c in self.all_conflicts(user) if c.kind in lifted]

    # --- one method per kind --------------------------------------------------------

    @staticmethod
    def _employer(user) -> Organisation | None:
        profile = getattr(user, "profile", None)
        return profile.organisation if profile is not None else None

    def _same_district(self, user) -> list[Conflict]:
        employer = self._employer(user)
        district = employer.district if employer is not None else ""
        if district and district in self.side.districts:
            return [Conflict("same_district", _(
                "평가 대상과 같은 자치구(%(district)s) 소속입니다(소속: %(org)s).")
                % {"district": district, "org": employer.display_name})]
        return []

    def _same_organisation(self, user) -> list[Conflict]:
        employer = self._employer(user)
        if employer is not None and employer.pk in self.side.organisation_ids:
            return [Conflict("same_organisation", _("평가 대상 기관(%(org)s) 소속입니다.")
                             % {"org": employer.display_name})]
        return []

    def _same_employer(self, user) -> list[Conflict]:
        employer = self._employer(user)
        department = self.side.department
        if employer is not None and department is not None and employer.pk == department.pk:
            return [Conflict("same_employer", _(
                "평가 대상 사무를 위탁한 사업부서(%(org)s)에 소속되어 있습니다.")
                % {"org": department.display_name})]
        return []

    def _declared(self, user) -> list[Conflict]:
        return [Conflict("declared", _("본인이 '%(target)s'과(와)의 이해관계를 신고했습니다: "
                                       "%(reason)s") % {"target": d.target, "reason": d.reason})
                for d in self.declared.get(user.pk, [])]

    def _recusal(self, user) -> list[Conflict]:
        recusal = self.recusals.get(user.pk)
        if recusal is None:
            return []
        return [Conflict("recusal", _("본인이 회피를 신청했습니다: %(reason)s")
                         % {"reason": recusal.reason})]

    def _challenge(self, user) -> list[Conflict]:
        challenge = self.challenges.get(user.pk)
        if challenge is None:
            return []
        if challenge.state == ChallengeState.FILED:
            return [Conflict("challenge", _(
                "평가 대상 기관의 기피 신청이 결정을 기다리고 있습니다: %(reason)s")
                % {"reason": challenge.reason})]
        return [Conflict("challenge", _(
            "평가 대상 기관의 기피 신청이 인용되었습니다: %(reason)s (결정 사유: %(decision)s)")
            % {"reason": challenge.reason, "decision": challenge.decision_reason})]


def check_conflicts(round_: Round, subject: Subject, user) -> list[Conflict]:
    """Why ``user`` may not sit on ``subject``'s panel in ``round_``: the conflicts the
    framework checks, minus those the officer lifted. Empty: no conflict."""
    return PanelFacts.load(round_, subject, members=[user]).conflicts(user)


def panel_describe(round_: Round, subject: Subject, user, **extra) -> dict:
    return {"round_id": round_.pk, "subject_id": subject.pk, "subject": str(subject),
            "member": member_name(user), **extra}


# --- lifting (officer) --------------------------------------------------------------

@transaction.atomic
def lift_conflict(round_: Round, subject: Subject, user, kind: str, *, reason: str,
                  actor, actor_label: str = "") -> ConflictWaiver:
    """Lift one conflict of ``user`` on ``subject``'s panel, with the reason. Only the
    officer may (checked by the page's permission); only :data:`LIFTABLE` kinds, and
    only a conflict that applies."""
    require_open_round(round_)
    if kind not in KIND_LABELS:
        raise PanelRefused(_("알 수 없는 이해충돌 종류입니다."))
    if kind not in LIFTABLE:
        raise PanelRefused(_("'%(kind)s' 이해충돌은 담당자가 해제할 수 없습니다.")
                           % {"kind": KIND_LABELS[kind]})
    reason = clean_reason(reason, what=_("해제 사유"))
    facts = PanelFacts.load(round_, subject, members=[user])
    if not any(c.kind == kind for c in facts.all_conflicts(user)):
        raise PanelRefused(_("%(member)s 위원에게는 '%(kind)s' 이해충돌이 없습니다.")
                           % {"member": member_name(user), "kind": KIND_LABELS[kind]})
    if kind in facts.waivers.get(user.pk, {}):
        raise PanelRefused(_("이미 해제한 이해충돌입니다."))
    by, label = resolve_actor(actor, actor_label)
    try:
        with transaction.atomic():
            waiver = ConflictWaiver.objects.create(
                round=round_, subject=subject, member=user, kind=kind, reason=reason,
                lifted_by=by, lifted_label=label)
    except IntegrityError as exc:
        raise PanelRefused(_("이미 해제한 이해충돌입니다.")) from exc
    record("panels.conflict_lift", waiver, actor=actor, actor_label=actor_label,
           reason=reason, after=panel_describe(round_, subject, user, kind=kind))
    return waiver


@transaction.atomic
def revoke_waiver(waiver: ConflictWaiver, *, reason: str, actor,
                  actor_label: str = "") -> ConflictWaiver:
    """Revoke a lifted conflict, with the reason: the conflict keeps the member off the
    panel again. A member seated meanwhile must first be taken off the panel (with its
    own reason), so no one sits with a conflict in force."""
    waiver = (ConflictWaiver.objects.select_for_update(of=("self",))
              .select_related("round__year", "subject", "member").get(pk=waiver.pk))
    require_open_round(waiver.round)
    reason = clean_reason(reason, what=_("해제 취소 사유"))
    if waiver.state == WaiverState.REVOKED:
        raise PanelRefused(_("이 이해충돌 해제는 %(when)s에 %(who)s이(가) 이미 취소했습니다.")
                           % {"when": timezone.localtime(waiver.revoked_at).strftime(
                               "%Y-%m-%d %H:%M"), "who": waiver.revoked_label})
    if active_seat(waiver.round, waiver.subject,
                                                             waiver.member):
        raise PanelRefused(_("%(member)s 위원이 이 평가단에 배정되어 있습니다. 먼저 평가단에서 "
                             "제외한 뒤 이해충돌 해제를 취소하십시오.")
                           % {"member": member_name(waiver.member)})
    by, label = resolve_actor(actor, actor_label)
    waiver.revoke_reason, waiver.revoked_by, waiver.revoked_label = reason, by, label
    waiver.revoked_at = timezone.now()
    return WAIVER.fire(waiver, "revoke", actor=actor, actor_label=actor_label, reason=reason,
                       update_fields=("revoke_reason", "revoked_by", "revoked_label",
                                      "revoked_at"))


# --- declarations (the member) ------------------------------------------------------

def require_member(user) -> None:
    if role_of(user) != Role.EVALUATOR or not hasattr(user, "panel_profile"):
        raise PanelRefused(_("평가위원 후보로 등록된 평가위원만 할 수 있습니다."))


@transaction.atomic
def declare_conflict(member, *, organisation: Organisation | None = None,
                     subject: Subject | None = None, reason: str, actor,
                     actor_label: str = "") -> DeclaredConflict:
    """The member declares a conflict with an organisation or one subject."""
    require_member(member)
    if (organisation is None) == (subject is None):
        raise PanelRefused(_("이해관계가 있는 기관이나 평가 대상 가운데 하나를 고르십시오."))
    reason = clean_reason(reason, what=_("신고 사유"))
    if DeclaredConflict.objects.filter(member=member, withdrawn_at__isnull=True,
                                       organisation=organisation, subject=subject).exists():
        raise PanelRefused(_("'%(target)s'과(와)의 이해관계는 이미 신고되어 있습니다.")
                           % {"target": organisation or subject})
    try:
        with transaction.atomic():
            declaration = DeclaredConflict.objects.create(
                member=member, organisation=organisation, subject=subject, reason=reason)
    except IntegrityError as exc:
        raise PanelRefused(_("'%(target)s'과(와)의 이해관계는 이미 신고되어 있습니다.")
                           % {"target": organisation or subject}) from exc
    record("panels.conflict_declare", declaration, actor=actor, actor_label=actor_label,
           reason=reason, after={"member": member_name(member),
                                 "target": str(declaration.target)})
    return declaration


@transaction.atomic
def withdraw_declaration(declaration: DeclaredConflict, *, actor,
                         actor_label: str = "") -> DeclaredConflict:
    declaration = DeclaredConflict.objects.select_for_update().get(pk=declaration.pk)
    if declaration.withdrawn_at is not None:
        raise PanelRefused(_("이미 철회한 신고입니다."))
    declaration.withdrawn_at = timezone.now()
    declaration.save(update_fields=["withdrawn_at"])
    record("panels.conflict_withdraw", declaration, actor=actor, actor_label=actor_label,
           before={"target": str(declaration.target), "withdrawn": False},
           after={"withdrawn": True})
    return declaration

def active_seat(round_: Round, subject: Subject, user) -> Seat | None:
    return Seat.objects.select_for_update().filter(
        round=round_, subject=subject, member=user, ended_at__isnull=True).first()
