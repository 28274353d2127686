"""Seating a subject's panel: the composition of the framework, the conflict check, the
peer rule, and the evaluations assignment that lets a member see the subject.

A seat is a place ``position`` 1…count in one seat of the composition. Two officers
seating the same place at once both find it free; the database's partial unique
constraint keeps the first and the second is refused with a message, nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from seonggwa.accounts.models import Role, role_of
from seonggwa.core.audit import record, resolve_actor
from seonggwa.evaluations.domain.assignments import assign, unassign
from seonggwa.evaluations.models import Assignment, Round, Subject
from seonggwa.panels.domain import rules
from seonggwa.panels.domain.conflicts import (
    Conflict,
    PanelFacts,
    panel_rules,
    require_open_round,
)
from seonggwa.panels.domain.errors import PanelRefused, clean_reason
from seonggwa.panels.domain.parties import platform_subject, project_year
from seonggwa.panels.models import MemberProfile, Seat, TemplateEntry
from seonggwa.registry.models import OrganisationKind


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _describe(seat: Seat, rule: rules.SeatRule | None = None) -> dict:
    """The seat as the audit trail keeps it: names and the seat's label, not codes."""
    rule = rule or panel_rules(seat.round).seat(seat.seat_code)
    return {"round_id": seat.round_id, "subject_id": seat.subject_id,
            "subject": str(seat.subject), "member": _name(seat.member),
            "seat": rule.label if rule else seat.seat_code, "place": seat.position}


def round_subjects(round_: Round):
    """The subjects evaluated in ``round_``: scheduled, with a result, or assigned."""
    from seonggwa.schedules.models import Schedule

    return Subject.objects.filter(
        Q(pk__in=Schedule.objects.filter(round=round_).values("subject"))
        | Q(pk__in=round_.results.values("subject"))
        | Q(pk__in=Assignment.objects.filter(round=round_, subject__isnull=False)
            .values("subject"))
    ).order_by("kind", "name")


def member_pool():
    """Evaluator-role users with a panel profile: the people a panel is drawn from."""
    return (get_user_model().objects.filter(profile__role=Role.EVALUATOR, is_active=True,
                                            panel_profile__isnull=False)
            .select_related("profile__organisation", "panel_profile")
            .order_by("username"))


def _rule(round_: Round, seat_code: str) -> rules.SeatRule:
    composition = panel_rules(round_)
    if not composition.seats:
        raise PanelRefused(_("%(round)s의 평가틀에는 평가단 구성(자리)이 정해져 있지 않습니다.")
                           % {"round": round_})
    rule = composition.seat(seat_code)
    if rule is None:
        raise PanelRefused(_("평가틀에 없는 자리입니다. 목록에서 자리를 고르십시오."))
    return rule


def _require_pool_member(user) -> None:
    if role_of(user) != Role.EVALUATOR or user.is_superuser or not user.is_active:
        raise PanelRefused(_("%(member)s: 평가위원 역할의 사용자만 평가단에 들어갈 수 있습니다.")
                           % {"member": _name(user)})
    if not MemberProfile.objects.filter(user=user).exists():
        raise PanelRefused(_("%(member)s: 평가위원 후보로 등록되지 않았습니다. 먼저 후보 명단에 "
                             "등록하십시오.") % {"member": _name(user)})


def peer_problems(round_: Round, subject: Subject, user, rule: rules.SeatRule,
                  facts: PanelFacts | None = None, years: dict | None = None) -> list[str]:
    """Why ``user`` may not take the peer seat ``rule`` on ``subject``'s panel: a peer
    is the head of ANOTHER district's platform, in the seat's project year."""
    if not rule.is_peer:
        return []
    profile = getattr(user, "profile", None)
    employer = profile.organisation if profile is not None else None
    if employer is None or employer.kind != OrganisationKind.PLATFORM:
        return [_("'%(seat)s' 자리는 다른 자치구 플랫폼의 단체장 자리인데, 소속 기관이 "
                  "플랫폼이 아닙니다.") % {"seat": rule.shown}]
    side = (facts or PanelFacts.load(round_, subject, members=[user])).side
    if not employer.district:
        return [_("소속 플랫폼(%(org)s)의 자치구가 등록되어 있지 않아 다른 자치구인지 확인할 수 "
                  "없습니다.") % {"org": employer.display_name}]
    if employer.district in side.districts or employer.pk in side.organisation_ids:
        return [_("'%(seat)s' 자리는 다른 자치구 플랫폼에서 와야 하는데, 평가 대상과 같은 "
                  "자치구(%(district)s)입니다.") % {"seat": rule.shown,
                                                  "district": employer.district}]
    if years is not None and employer.pk in years:
        year = years[employer.pk]
    else:
        own = platform_subject(employer)
        year = project_year(round_, own) if own is not None else None
    if year is None:
        return [_("소속 플랫폼(%(org)s)의 사업 연차가 일정에 없어 '%(seat)s' 자리에 맞는지 "
                  "확인할 수 없습니다.") % {"org": employer.display_name, "seat": rule.shown}]
    if year != rule.peer_project_year:
        return [_("'%(seat)s' 자리는 %(wanted)s년차 플랫폼 몫인데, 소속 플랫폼(%(org)s)은 "
                  "%(year)s년차입니다.") % {"seat": rule.shown, "wanted": rule.peer_project_year,
                                           "org": employer.display_name, "year": year}]
    return []


def _free_position(round_: Round, subject: Subject, rule: rules.SeatRule) -> int:
    taken = set(Seat.objects.filter(round=round_, subject=subject, seat_code=rule.code,
                                    ended_at__isnull=True).values_list("position", flat=True))
    free = [p for p in range(1, rule.count + 1) if p not in taken]
    if not free:
        raise PanelRefused(_("'%(seat)s' 자리가 모두 찼습니다(%(n)s명 중 %(n)s명).")
                           % {"seat": rule.shown, "n": rule.count})
    return free[0]


def _refuse_conflicts(user, conflicts: list[Conflict]) -> None:
    if conflicts:
        raise PanelRefused(_("%(member)s 위원은 이해충돌로 배정할 수 없습니다: %(reasons)s")
                           % {"member": _name(user),
                              "reasons": " / ".join(str(c) for c in conflicts)})


@transaction.atomic
def seat(round_: Round, subject: Subject, user, seat_code: str, *, actor,
         actor_label: str = "") -> Seat:
    """Seat ``user`` on ``subject``'s panel in ``round_``, in seat ``seat_code``, after
    every check; then assign them to the subject (:func:`evaluations.domain.assignments.
    assign`) so they see it and nothing else of the round. Refusals change nothing."""
    require_open_round(round_)
    rule = _rule(round_, seat_code)
    _require_pool_member(user)
    if not round_subjects(round_).filter(pk=subject.pk).exists():
        raise PanelRefused(_("%(subject)s은(는) %(round)s의 평가 대상이 아닙니다.")
                           % {"subject": subject, "round": round_})
    if Seat.objects.filter(round=round_, subject=subject, member=user,
                           ended_at__isnull=True).exists():
        raise PanelRefused(_("%(member)s 위원은 이미 이 평가단에 있습니다.")
                           % {"member": _name(user)})
    if Assignment.objects.filter(user=user, round=round_, subject__isnull=True).exists():
        # A whole-round assignment shows every subject of the round, the conflicted ones
        # too: a panel member sees the subjects they sit on, and no other.
        raise PanelRefused(_("%(member)s 위원은 차수 전체에 배정되어 있어 모든 평가 대상을 봅니다. "
                             "평가 배정 화면에서 차수 전체 배정을 먼저 해제하십시오.")
                           % {"member": _name(user)})
    facts = PanelFacts.load(round_, subject, members=[user])
    _refuse_conflicts(user, facts.conflicts(user))
    problems = peer_problems(round_, subject, user, rule, facts)
    if problems:
        raise PanelRefused(" ".join(problems))
    position = _free_position(round_, subject, rule)
    by, label = resolve_actor(actor, actor_label)
    try:
        with transaction.atomic():
            new = Seat.objects.create(round=round_, subject=subject, member=user,
                                      seat_code=rule.code, position=position,
                                      seated_by=by, seated_label=label)
    except IntegrityError as exc:
        raise PanelRefused(_("그사이 다른 담당자가 같은 자리나 같은 위원을 먼저 배정했습니다. "
                             "화면을 다시 불러와 확인하십시오.")) from exc
    if not Assignment.objects.filter(user=user, round=round_, subject=subject).exists():
        assign(user, round_, subject, actor=actor, actor_label=actor_label)
    record("panels.seat", new, actor=actor, actor_label=actor_label,
           after=_describe(new, rule))
    return new


def end_seat(seat_: Seat, *, reason: str, actor, actor_label: str = "") -> Seat:
    """End ``seat_`` (unseated, recused, challenged) and remove the member's assignment
    to the subject. Inside the caller's transaction."""
    by, label = resolve_actor(actor, actor_label)
    before = _describe(seat_)
    seat_.ended_at, seat_.ended_by, seat_.ended_label = timezone.now(), by, label
    seat_.ended_reason = reason
    seat_.save(update_fields=["ended_at", "ended_by", "ended_label", "ended_reason"])
    if Assignment.objects.filter(user=seat_.member, round=seat_.round,
                                 subject=seat_.subject).exists():
        unassign(seat_.member, seat_.round, seat_.subject, actor=actor, actor_label=actor_label)
    record("panels.unseat", seat_, actor=actor, actor_label=actor_label, reason=reason,
           before=before, after={"round_id": seat_.round_id, "subject_id": seat_.subject_id,
                                 "ended": True})
    return seat_


@transaction.atomic
def unseat(seat_: Seat, *, reason: str, actor, actor_label: str = "") -> Seat:
    """The officer takes a member off a panel, with the reason."""
    seat_ = (Seat.objects.select_for_update(of=("self",))
             .select_related("round", "subject", "member").get(pk=seat_.pk))
    require_open_round(seat_.round)
    if seat_.ended_at is not None:
        raise PanelRefused(_("%(member)s 위원은 이미 이 평가단에서 빠졌습니다.")
                           % {"member": _name(seat_.member)})
    reason = clean_reason(reason, what=_("해촉 사유"))
    return end_seat(seat_, reason=reason, actor=actor, actor_label=actor_label)


def _seat_label(round_: Round, code: str) -> str:
    rule = panel_rules(round_).seat(code)
    return rule.label if rule else code


def _seat_order(round_: Round) -> dict[str, int]:
    return {rule.code: i for i, rule in enumerate(panel_rules(round_).seats)}


def panel_of(round_: Round, subject: Subject) -> list[Seat]:
    """The members seated on ``subject``'s panel in ``round_``, in the order of the
    framework's seats (sheets and appeals read it)."""
    order = _seat_order(round_)
    seats = (Seat.objects.filter(round=round_, subject=subject, ended_at__isnull=True)
             .select_related("member__profile__organisation", "member__panel_profile"))
    return sorted(seats, key=lambda s: (order.get(s.seat_code, len(order)), s.position))


@dataclass(frozen=True)
class SeatStatus:
    rule: rules.SeatRule
    seats: tuple[Seat, ...]

    @property
    def open(self) -> int:
        return max(self.rule.count - len(self.seats), 0)

    @property
    def filled(self) -> bool:
        return self.open == 0


@dataclass(frozen=True)
class Composition:
    seats: tuple[SeatStatus, ...]

    @property
    def size(self) -> int:
        return sum(s.rule.count for s in self.seats)

    @property
    def filled(self) -> int:
        return sum(len(s.seats) for s in self.seats)

    @property
    def complete(self) -> bool:
        return bool(self.seats) and all(s.filled for s in self.seats)


def composition_status(round_: Round, subject: Subject) -> Composition:
    """Each seat of the composition with who fills it and how many places are open."""
    seated = panel_of(round_, subject)
    return Composition(tuple(
        SeatStatus(rule, tuple(s for s in seated if s.seat_code == rule.code))
        for rule in panel_rules(round_).seats))


def composition_counts(round_: Round) -> dict[int, int]:
    """Members seated per subject of ``round_`` (one grouped query, for the round page)."""
    from django.db.models import Count

    return dict(Seat.objects.filter(round=round_, ended_at__isnull=True)
                .values_list("subject").order_by().annotate(n=Count("id")))


# --- candidates: the check shown BEFORE anyone is invited ---------------------------

@dataclass(frozen=True)
class Candidate:
    member: object
    conflicts: tuple[Conflict, ...]
    lifted: tuple
    peer: dict  # platform heads: peer seat label -> why not (empty: fits); else empty
    seated_as: str  # seat label when already on the panel

    @property
    def blocked(self) -> bool:
        return bool(self.conflicts)


def _platform_years(round_: Round, platforms) -> dict[int, int | None]:
    """The project year of each platform organisation's own subject (the peer rule), for
    the whole pool at once."""
    return {org.pk: (project_year(round_, own) if (own := platform_subject(org)) else None)
            for org in platforms}


def candidates(round_: Round, subject: Subject) -> list[Candidate]:
    """The pool, each member with the result of the conflict check for this panel (and,
    for each peer seat, whether they fit it) — read once for the whole pool."""
    pool = list(member_pool())
    facts = PanelFacts.load(round_, subject, members=pool)
    composition = panel_rules(round_)
    seated = {s.member_id: s for s in panel_of(round_, subject)}
    labels = {r.code: r.shown for r in composition.seats}
    peers = [r for r in composition.seats if r.is_peer]
    out = []
    heads = {u.profile.organisation for u in pool if u.profile.organisation is not None
             and u.profile.organisation.kind == OrganisationKind.PLATFORM}
    years = _platform_years(round_, heads) if peers else {}
    for user in pool:
        on = seated.get(user.pk)
        employer = user.profile.organisation
        is_head = employer in heads
        out.append(Candidate(
            member=user, conflicts=tuple(facts.conflicts(user)),
            lifted=tuple(facts.lifted(user)),
            peer={r.shown: peer_problems(round_, subject, user, r, facts, years)
                  for r in peers} if is_head else {},
            seated_as=labels.get(on.seat_code, on.seat_code) if on else ""))
    # Who may be seated first, then who sits already, then who is blocked.
    return sorted(out, key=lambda c: (bool(c.seated_as), c.blocked))


# --- the round's default composition ------------------------------------------------

@transaction.atomic
def add_to_template(round_: Round, user, seat_code: str, *, actor,
                    actor_label: str = "") -> TemplateEntry:
    require_open_round(round_)
    rule = _rule(round_, seat_code)
    _require_pool_member(user)
    entries = TemplateEntry.objects.filter(round=round_)
    if entries.filter(member=user).exists():
        raise PanelRefused(_("%(member)s 위원은 이미 기본 구성에 있습니다.") % {"member": _name(user)})
    if entries.filter(seat_code=rule.code).count() >= rule.count:
        raise PanelRefused(_("기본 구성의 '%(seat)s' 자리가 모두 찼습니다(%(n)s명).")
                           % {"seat": rule.shown, "n": rule.count})
    by, _label = resolve_actor(actor, actor_label)
    try:
        with transaction.atomic():
            entry = TemplateEntry.objects.create(round=round_, member=user,
                                                 seat_code=rule.code, added_by=by)
    except IntegrityError as exc:
        raise PanelRefused(_("%(member)s 위원은 이미 기본 구성에 있습니다.")
                           % {"member": _name(user)}) from exc
    record("panels.template_add", entry, actor=actor, actor_label=actor_label,
           after={"round_id": round_.pk, "member": _name(user), "seat": rule.label})
    return entry


@transaction.atomic
def remove_from_template(entry: TemplateEntry, *, actor, actor_label: str = "") -> None:
    require_open_round(entry.round)
    record("panels.template_remove", entry, actor=actor, actor_label=actor_label,
           before={"round_id": entry.round_id, "member": _name(entry.member),
                   "seat": _seat_label(entry.round, entry.seat_code)})
    entry.delete()


@dataclass(frozen=True)
class Applied:
    seated: tuple[Seat, ...]
    skipped: tuple[tuple[TemplateEntry, str], ...]  # entry, why not seated


def apply_template(round_: Round, subject: Subject, *, actor, actor_label: str = "") -> Applied:
    """Seat every member of the round's default composition on ``subject``'s panel; a
    member who is conflicted, already seated, or whose seat is full is skipped with the
    reason (each seat is its own transaction: one refusal does not undo the others)."""
    require_open_round(round_)
    seated, skipped = [], []
    entries = TemplateEntry.objects.filter(round=round_).select_related("member__profile")
    for entry in entries:
        try:
            seated.append(seat(round_, subject, entry.member, entry.seat_code, actor=actor,
                               actor_label=actor_label))
        except PanelRefused as exc:
            skipped.append((entry, " ".join(exc.messages)))
    return Applied(tuple(seated), tuple(skipped))
