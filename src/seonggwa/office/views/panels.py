"""Office pages of the panels part of the evaluation process.

- officer: the rounds with a panel (``panels``), a round's subjects and its default
  composition (``panels_round``), a subject's panel with every candidate's conflict
  check shown before anyone is seated (``panels_subject``), the member pool
  (``panels_pool``), challenges and their decision (``panels_challenges``,
  ``panels_challenge``);
- member (evaluator in the pool): their own page — position, declared conflicts, the
  panels they sit on and recusal (``panels_mine``);
- evaluated organisation (contractor role): the panels of its own subjects and its
  challenges (``panels_challenges``, ``panels_challenge``).

Every change goes through :mod:`seonggwa.panels.domain` (checked, audited); the forms
carry the version they were loaded at, so two officers changing the same panel never
overwrite each other silently.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from seonggwa.access.panels import (
    challengeable_subjects,
    decidable_challenges,
    recusable_seats,
    visible_challenges,
    withdrawable_declarations,
    withdrawable_recusals,
)
from seonggwa.accounts.models import Role, organisation_of, role_of
from seonggwa.core import concurrency, vocabulary
from seonggwa.core.listing import paginate
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Round, Status, Subject
from seonggwa.panels.domain import conflicts as conflict_domain
from seonggwa.panels.domain import members as member_domain
from seonggwa.panels.domain import recusals as recusal_domain
from seonggwa.panels.domain import seats as seat_domain
from seonggwa.panels.domain.conflicts import KIND_LABELS, panel_rules
from seonggwa.panels.domain.parties import district_of, employer_of, evaluated_side, project_year
from seonggwa.panels.models import (
    Challenge,
    ChallengeState,
    ConflictWaiver,
    DeclaredConflict,
    MemberProfile,
    Recusal,
    RecusalState,
    Seat,
    TemplateEntry,
    WaiverState,
)
from seonggwa.panels.vocabulary import PART

from .. import trail
from ..access import Perm, require
from ..actions import attempt
from ..forms.panels import (
    ChallengeForm,
    DecisionForm,
    DeclareForm,
    EnrolForm,
    LiftForm,
    PositionForm,
    RecuseForm,
    RevokeForm,
    SeatForm,
    TemplateForm,
    UnseatForm,
    WithdrawRecusalForm,
    enrollable_users,
    member_name,
    seat_choices,
)

SUBJECTS_PER_PAGE = 100

# --- the audit trail of panels, in words ---------------------------------------------

#: The recorded fields a panel's trail shows, in words (the rest are ids and snapshots).
SHOWN = ("member", "seat", "place", "position", "kind", "state", "ended", "target",
         "withdrawn", "decision_reason", "subject", "round", "user")
_STATES = {**dict(ChallengeState.choices), **dict(RecusalState.choices),
           **dict(WaiverState.choices)}


def _value(key: str, value) -> str:
    if value in (None, ""):
        return "–"
    if key == "state":
        return str(_STATES.get(value, value))
    if key == "kind":
        return str(KIND_LABELS.get(value, value))
    if isinstance(value, bool):
        return _("예") if value else _("아니오")
    return str(value)


def _entry(event: AuditEvent) -> trail.Entry:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    changes = [trail.Change(trail.field_label(None, key, part=PART),
                            _value(key, before.get(key)) if before and key in before else "",
                            _value(key, after.get(key)))
               for key in dict.fromkeys([*before, *after])
               if key in SHOWN and before.get(key) != after.get(key)]
    return trail.Entry(event=event, who=concurrency.who(event), when=concurrency.when(event),
                       what=vocabulary.action_label(event.action) or _("평가단 변경"),
                       changes=changes, reason=event.reason)


def panel_events(round_: Round, subject: Subject):
    """Every audited change of ``subject``'s panel in ``round_`` (seats, assignments,
    lifted conflicts, recusals, challenges): any of them since the page was loaded means
    the panel the officer decided on is no longer the panel."""
    here = (Q(after__round_id=round_.pk, after__subject_id=subject.pk)
            | Q(before__round_id=round_.pk, before__subject_id=subject.pk))
    return AuditEvent.objects.filter(
        Q(action__startswith="panels.") | Q(action__startswith="assignment.")).filter(here)


def template_events(round_: Round):
    return AuditEvent.objects.filter(
        action__in=("panels.template_add", "panels.template_remove")).filter(
        Q(after__round_id=round_.pk) | Q(before__round_id=round_.pk))


def _trail(events, limit: int = 200) -> list[trail.Entry]:
    return [_entry(e) for e in events.select_related("actor").order_by("-at", "-id")[:limit]]


# --- small helpers ----------------------------------------------------------------------

def _rounds_with_panels():
    """Rounds whose framework has a panel composition, newest first."""
    rounds = Round.objects.select_related("year", "framework_version").exclude(
        framework_version__isnull=True).order_by("-year__year", "scheme", "-number")
    return [r for r in rounds if panel_rules(r).seats]


def _get_round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("year", "framework_version"),
                             pk=round_id)


def _pool_member(pk: int):
    """The pool member chosen on the form (gone meanwhile: refused, as any refusal)."""
    member = seat_domain.member_pool().filter(pk=pk).first()
    if member is None:
        raise ValidationError(_("이 위원은 그사이 후보 명단에서 빠졌습니다. 화면을 다시 불러와 "
                                "주십시오."))
    return member


# --- officer: the rounds with a panel -----------------------------------------------

@require(Perm.EVALUATIONS)
def panels_index(request):
    rounds = _rounds_with_panels()
    pending = dict(Challenge.objects.filter(state=ChallengeState.FILED)
                   .values_list("round").order_by().annotate(n=Count("id")))
    return render(request, "office/panels/index.html", {
        "nav": "panels", "rounds": [(r, panel_rules(r), pending.get(r.pk, 0)) for r in rounds],
        "pool_size": seat_domain.member_pool().count(),
    })


# --- officer: a round — its subjects and its default composition ---------------------

def _template_post(request, round_: Round, form: TemplateForm):
    """Add to or remove from the round's default composition; ``None`` when done."""
    action = request.POST.get("action")

    def change(_round):
        if action == "template_remove":
            entry = (TemplateEntry.objects.filter(pk=_posted_id(request.POST, "entry"),
                                                  round=round_)
                     .select_related("member").first())
            if entry is None:
                raise ValidationError(_("기본 구성에 그런 위원이 없습니다. 화면을 다시 "
                                        "불러와 주십시오."))
            seat_domain.remove_from_template(entry, actor=request.user)
            return _("%(member)s 위원을 기본 구성에서 뺐습니다.") % {"member": member_name(entry.member)}
        if not form.is_valid():
            return None
        seat_domain.add_to_template(round_, _pool_member(form.cleaned_data["member"]),
                                    form.cleaned_data["seat_code"], actor=request.user)
        return _("기본 구성에 추가했습니다.")

    done = attempt(request, change, round_, events=template_events(round_), form=form)
    if not done.ok or done.value is None:
        return form
    messages.success(request, done.value)
    return None


@require(Perm.EVALUATIONS)
def panels_round(request, round_id: int):
    round_ = _get_round(round_id)
    composition = panel_rules(round_)
    form = TemplateForm(round_=round_)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST, round_=round_)
        failed = _template_post(request, round_, form)
        if failed is None:
            return redirect("office:panels_round", round_id=round_.pk)
        form, status = failed, 400
    page = paginate(request, seat_domain.round_subjects(round_), per_page=SUBJECTS_PER_PAGE)
    filled = seat_domain.composition_counts(round_)
    years = _project_years(round_, page.object_list)
    labels = dict(seat_choices(round_))
    entries = (TemplateEntry.objects.filter(round=round_)
               .select_related("member__profile__organisation", "member__panel_profile"))
    return render(request, "office/panels/round.html", {
        "nav": "panels", "round": round_, "composition": composition,
        "kind_labels": [str(KIND_LABELS[k]) for k in composition.conflicts], "page": page, "rows": [(s, years.get(s.pk), filled.get(s.pk, 0)) for s in page],
        "template": [(e, labels.get(e.seat_code, e.seat_code)) for e in entries],
        "form": form, "version": concurrency.version(template_events(round_)),
        "challenges": Challenge.objects.filter(round=round_, state=ChallengeState.FILED)
        .select_related("subject", "member"),
        "open": round_.status == Status.DRAFT,
    }, status=status)


def _project_years(round_: Round, subjects) -> dict[int, int]:
    from seonggwa.schedules.models import Schedule

    return dict(Schedule.objects.filter(round=round_, subject__in=list(subjects))
                .values_list("subject", "project_year"))


# --- officer: one subject's panel ---------------------------------------------------

def _message_form() -> forms.Form:
    """A form without fields, to carry the refusal of an action that posts none."""
    form = forms.Form({})
    form.is_valid()
    return form


def _posted_id(data, name: str) -> int | None:
    raw = (data.get(name) or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def _seat_action(request, round_, subject, form):
    if not form.is_valid():
        return form
    member = _pool_member(form.cleaned_data["member"])
    seat_domain.seat(round_, subject, member, form.cleaned_data["seat_code"],
                     actor=request.user)
    messages.success(request, _("%(member)s 위원을 배정했습니다.") % {"member": member_name(member)})
    return None


def _unseat_action(request, round_, subject, form):
    seat_ = Seat.objects.filter(pk=_posted_id(request.POST, "seat"), round=round_,
                                subject=subject).select_related("member").first()
    if seat_ is None:
        form.add_error(None, _("이 평가단에 그런 자리가 없습니다. 화면을 다시 불러와 주십시오."))
        return form
    if not form.is_valid():
        return form
    seat_domain.unseat(seat_, reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, _("%(member)s 위원을 평가단에서 제외했습니다.")
                     % {"member": member_name(seat_.member)})
    return None


def _lift_action(request, round_, subject, form):
    member_id = _posted_id(request.POST, "member")
    member = seat_domain.member_pool().filter(pk=member_id).first() if member_id else None
    if member is None:
        form.add_error(None, _("후보 명단에 없는 위원입니다. 화면을 다시 불러와 주십시오."))
        return form
    if not form.is_valid():
        return form
    kind = form.cleaned_data["kind"]
    conflict_domain.lift_conflict(round_, subject, member, kind,
                                  reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, _("%(member)s 위원의 '%(kind)s' 이해충돌을 해제했습니다.")
                     % {"member": member_name(member), "kind": KIND_LABELS[kind]})
    return None


def _revoke_action(request, round_, subject, form):
    waiver = (ConflictWaiver.objects.filter(pk=_posted_id(request.POST, "waiver"), round=round_,
                                            subject=subject, state=WaiverState.LIFTED)
              .select_related("member").first())
    if waiver is None:
        form.add_error(None, _("해제된 이해충돌을 찾을 수 없습니다. 화면을 다시 불러와 주십시오."))
        return form
    if not form.is_valid():
        return form
    conflict_domain.revoke_waiver(waiver, reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, _("%(member)s 위원의 '%(kind)s' 이해충돌 해제를 취소했습니다. 이 "
                                "이해충돌이 다시 적용됩니다.")
                     % {"member": member_name(waiver.member), "kind": waiver.get_kind_display()})
    return None


def _apply_action(request, round_, subject, form):
    applied = seat_domain.apply_template(round_, subject, actor=request.user)
    if applied.seated:
        messages.success(request, _("기본 구성에서 %(n)s명을 배정했습니다.")
                         % {"n": len(applied.seated)})
    for entry, why in applied.skipped:
        messages.warning(request, _("%(member)s: %(why)s") % {"member": member_name(entry.member),
                                                               "why": why})
    if not applied.seated and not applied.skipped:
        messages.warning(request, _("이 차수의 기본 구성이 비어 있습니다."))
    return None


#: action -> (the form it posts, or None; the handler)
_SUBJECT_ACTIONS = {
    "seat": (lambda data, round_: SeatForm(data, round_=round_), _seat_action),
    "unseat": (lambda data, round_: UnseatForm(data), _unseat_action),
    "lift": (lambda data, round_: LiftForm(data), _lift_action),
    "revoke": (lambda data, round_: RevokeForm(data), _revoke_action),
    "apply": (None, _apply_action),
}


def _subject_post(request, round_, subject, forms_) -> forms.Form | None:
    """Run the posted action; the form to show again with its errors (the official's
    input kept), or ``None`` when done."""
    action = request.POST.get("action", "")
    if action not in _SUBJECT_ACTIONS:
        form = _message_form()
        form.add_error(None, _("알 수 없는 요청입니다. 화면을 다시 불러와 주십시오."))
        return form
    make, handler = _SUBJECT_ACTIONS[action]
    form = forms_[action] = make(request.POST, round_) if make else _message_form()
    done = attempt(request, lambda _round: handler(request, round_, subject, form), round_,
                   events=panel_events(round_, subject), form=form)
    return done.value if done.ok else form


@require(Perm.EVALUATIONS)
def panels_subject(request, round_id: int, subject_id: int):
    round_ = _get_round(round_id)
    subject = get_object_or_404(seat_domain.round_subjects(round_), pk=subject_id)
    forms_ = {"seat": SeatForm(round_=round_), "unseat": UnseatForm(), "lift": LiftForm(),
              "revoke": RevokeForm()}
    status = 200
    failed = None
    if request.method == "POST":
        failed = _subject_post(request, round_, subject, forms_)
        if failed is None:
            return redirect("office:panels_subject", round_id=round_.pk, subject_id=subject.pk)
        status = 400
    side = evaluated_side(subject)
    events = panel_events(round_, subject)
    return render(request, "office/panels/subject.html", {
        "nav": "panels", "round": round_, "subject": subject, "side": side,
        "project_year": project_year(round_, subject),
        "composition": seat_domain.composition_status(round_, subject),
        "candidates": seat_domain.candidates(round_, subject),
        "peer_seats": [r for r in panel_rules(round_).seats if r.is_peer],
        # the seat form shows its own errors beside it; the others' go to the top
        "forms": forms_, "failed": failed if failed is not forms_["seat"] else None,
        "version": concurrency.version(events),
        "challenges": Challenge.objects.filter(round=round_, subject=subject)
        .select_related("member"),
        "template_size": TemplateEntry.objects.filter(round=round_).count(),
        "open": round_.status == Status.DRAFT,
        "trail": _trail(events),
    }, status=status)
# --- officer: the member pool ---------------------------------------------------------

def _position_post(request, profile: MemberProfile) -> PositionForm | None:
    form = PositionForm(request.POST)
    if not form.is_valid():
        return form
    if not attempt(request, lambda fresh: member_domain.set_position(
            fresh, form.cleaned_data["position"], actor=request.user), profile, form=form).ok:
        return form
    messages.success(request, _("직위를 저장했습니다."))
    return None


@require(Perm.EVALUATIONS)
def panels_pool(request):
    form, failed, status = EnrolForm(), None, 200
    if request.method == "POST" and request.POST.get("action") == "position":
        profile = MemberProfile.objects.filter(pk=_posted_id(request.POST, "profile")).first()
        if profile is None:
            raise PermissionDenied
        failed = _position_post(request, profile)
        if failed is None:
            return redirect("office:panels_pool")
        status = 400
    elif request.method == "POST":
        form = EnrolForm(request.POST)
        if form.is_valid():
            user = enrollable_users().filter(pk=form.cleaned_data["user"]).first()

            def enrol(_none):
                if user is None:
                    raise ValidationError(_("이미 후보로 등록되었거나 평가위원이 아닌 사용자입니다."))
                member_domain.enrol(user, position=form.cleaned_data["position"],
                                    actor=request.user)

            if attempt(request, enrol, form=form).ok:
                messages.success(request, _("%(member)s 위원을 후보 명단에 올렸습니다.")
                                 % {"member": member_name(user)})
                return redirect("office:panels_pool")
        status = 400
    page = paginate(request, MemberProfile.objects.select_related(
        "user__profile__organisation").order_by("user__username"), per_page=100)
    versions = concurrency.versions_of(page.object_list)
    declared = dict(DeclaredConflict.objects.filter(
        withdrawn_at__isnull=True, member__in=[p.user_id for p in page])
        .values_list("member").order_by().annotate(n=Count("id")))
    seated = dict(Seat.objects.filter(ended_at__isnull=True,
                                      member__in=[p.user_id for p in page])
                  .values_list("member").order_by().annotate(n=Count("id")))
    return render(request, "office/panels/pool.html", {
        "nav": "panels", "page": page, "form": form, "failed": failed,
        "failed_profile": _posted_id(request.POST, "profile") if failed else None,
        "rows": [(p, versions.get(p.pk, 0), declared.get(p.user_id, 0),
                  seated.get(p.user_id, 0)) for p in page],
    }, status=status)


# --- the member's own page --------------------------------------------------------------

def _open_panel_subjects():
    """The subjects of draft rounds that have a panel (what a member might be asked to
    judge)."""
    rounds = [r for r in _rounds_with_panels() if r.status == Status.DRAFT]
    if not rounds:
        return Subject.objects.none()
    qs = seat_domain.round_subjects(rounds[0])
    for r in rounds[1:]:
        qs = qs | seat_domain.round_subjects(r)
    return qs.distinct().order_by("name")


def _member_declare(request, form):
    if not form.is_valid():
        return form
    subject = (Subject.objects.filter(pk=form.cleaned_data["subject"]).first()
               if form.cleaned_data.get("subject") else None)
    conflict_domain.declare_conflict(
        request.user, organisation=form.cleaned_data.get("organisation_obj"), subject=subject,
        reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, _("이해관계를 신고했습니다. 해당 평가 대상에는 배정되지 않습니다."))
    return None


def _member_withdraw_declaration(request, form):
    declaration = withdrawable_declarations(request.user).filter(
        pk=_posted_id(request.POST, "declaration")).first()
    if declaration is None:
        raise PermissionDenied
    conflict_domain.withdraw_declaration(declaration, actor=request.user)
    messages.success(request, _("신고를 철회했습니다."))
    return None


def _member_recuse(request, form):
    seat_ = recusable_seats(request.user).filter(
        pk=_posted_id(request.POST, "seat")).select_related("round", "subject").first()
    if seat_ is None:
        raise PermissionDenied
    if not form.is_valid():
        return form
    recusal_domain.recuse(seat_.round, seat_.subject, request.user,
                           reason=form.cleaned_data["reason"], actor=request.user)
    messages.success(request, _("%(subject)s 평가를 회피했습니다. 담당자에게 알려졌습니다.")
                     % {"subject": seat_.subject})
    return None


def _member_withdraw_recusal(request, form):
    recusal = withdrawable_recusals(request.user).filter(
        pk=_posted_id(request.POST, "recusal")).first()
    if recusal is None:
        raise PermissionDenied
    if not form.is_valid():
        return form
    recusal_domain.withdraw_recusal(recusal, reason=form.cleaned_data["reason"],
                                     actor=request.user)
    messages.success(request, _("회피를 철회했습니다. 다시 배정될 수 있습니다."))
    return None


def _declare_form(data=None) -> DeclareForm:
    return DeclareForm(data, subjects=_open_panel_subjects())


_MEMBER_ACTIONS = {
    "declare": (_declare_form, _member_declare),
    "withdraw_declaration": (None, _member_withdraw_declaration),
    "recuse": (RecuseForm, _member_recuse),
    "withdraw_recusal": (WithdrawRecusalForm, _member_withdraw_recusal),
}


def _member_post(request, forms_):
    action = request.POST.get("action", "")
    if action == "position":
        forms_["position"] = _position_post(request, request.user.panel_profile)
        return forms_["position"]
    if action not in _MEMBER_ACTIONS:
        raise PermissionDenied
    form_class, handler = _MEMBER_ACTIONS[action]
    if form_class is not None:
        forms_[action] = form_class(request.POST)
    form = forms_.get(action) or _message_form()
    done = attempt(request, lambda _none: handler(request, form), form=form)
    return done.value if done.ok else form


@require(Perm.OFFICE)
def panels_mine(request):
    user = request.user
    if role_of(user) != Role.EVALUATOR:
        raise PermissionDenied
    if not user.has_perm("panels.act_as_member"):
        return render(request, "office/panels/mine.html", {"nav": "panels_mine",
                                                           "in_pool": False})
    forms_ = {"declare": _declare_form(), "recuse": RecuseForm(),
              "withdraw_recusal": WithdrawRecusalForm(), "position": None}
    status, failed = 200, None
    if request.method == "POST":
        failed = _member_post(request, forms_)
        if failed is None:
            return redirect("office:panels_mine")
        status = 400
    profile = user.panel_profile
    if forms_["position"] is None:
        forms_["position"] = PositionForm(initial={"position": profile.position})
    seats = (Seat.objects.filter(member=user).select_related("round__year", "subject")
             .order_by("ended_at", "-seated_at"))
    labels = {}
    for s in seats:
        if s.round_id not in labels:
            labels[s.round_id] = dict(seat_choices(s.round))
    return render(request, "office/panels/mine.html", {
        "nav": "panels_mine", "in_pool": True, "profile": profile,
        "employer": employer_of(user), "district": district_of(user),
        "profile_version": concurrency.version_of(profile),
        "forms": forms_, "failed": failed, "failed_id": _posted_id(request.POST, "seat")
        or _posted_id(request.POST, "recusal"),
        "seats": [(s, labels[s.round_id].get(s.seat_code, s.seat_code)) for s in seats],
        "declarations": DeclaredConflict.objects.filter(member=user)
        .select_related("organisation", "subject"),
        "recusals": Recusal.objects.filter(member=user).select_related("round", "subject"),
    }, status=status)


# --- challenges: filed by the evaluated organisation, decided by the officer ----------

def _challengeable_panels(user):
    """(round, subject, members who may be challenged) for each open panel of the
    organisation's own subjects: members seated, and the round's default composition."""
    panels = []
    for round_ in _rounds_with_panels():
        if round_.status != Status.DRAFT:
            continue
        for subject in challengeable_subjects(user, seat_domain.round_subjects(round_)):
            seated = [s.member for s in seat_domain.panel_of(round_, subject)]
            proposed = [e.member for e in TemplateEntry.objects.filter(round=round_)
                        .select_related("member") if e.member not in seated]
            panels.append((round_, subject, seated + proposed))
    return panels


def _challenge_ids(round_: Round, subject: Subject) -> str:
    """Element ids unique on a page listing several panels."""
    return f"id_{round_.pk}_{subject.pk}_%s"


def _file_challenge(request, panels, forms_) -> ChallengeForm | None:
    key = (_posted_id(request.POST, "round"), _posted_id(request.POST, "subject"))
    match = next(((r, s, m) for r, s, m in panels if (r.pk, s.pk) == key), None)
    if match is None:
        raise PermissionDenied
    round_, subject, members = match
    form = ChallengeForm(request.POST, members=members, auto_id=_challenge_ids(round_, subject))
    forms_[key] = form
    if not form.is_valid():
        return form
    member = next(m for m in members if m.pk == form.cleaned_data["member"])
    if not attempt(request, lambda _none: recusal_domain.file_challenge(
            round_, subject, member, reason=form.cleaned_data["reason"], actor=request.user),
            form=form).ok:
        return form
    messages.success(request, _("%(member)s 위원에 대한 기피를 신청했습니다. 담당자의 결정을 "
                                "기다립니다.") % {"member": member_name(member)})
    return None


@require(Perm.OFFICE)
def panels_challenges(request):
    role = role_of(request.user)
    if role not in (Role.OFFICER, Role.CONTRACTOR):
        raise PermissionDenied
    panels = _challengeable_panels(request.user) if role == Role.CONTRACTOR else []
    forms_ = {}
    status = 200
    if request.method == "POST":
        if role != Role.CONTRACTOR:
            raise PermissionDenied
        if _file_challenge(request, panels, forms_) is None:
            return redirect("office:panels_challenges")
        status = 400
    rows = [(r, s, members, forms_.get((r.pk, s.pk))
             or ChallengeForm(members=members, auto_id=_challenge_ids(r, s)))
            for r, s, members in panels]
    page = paginate(request, visible_challenges(request.user)
                    .select_related("round__year", "subject", "member")
                    .order_by("state", "-filed_at"), per_page=100)
    return render(request, "office/panels/challenges.html", {
        "nav": "panels_challenges", "panels": rows, "page": page,
        "organisation": organisation_of(request.user), "is_officer": role == Role.OFFICER,
    }, status=status)


@require(Perm.OFFICE)
def panels_challenge(request, pk: int):
    challenge = get_object_or_404(Challenge.objects.select_related(
        "round__year", "subject", "member__profile__organisation", "organisation"), pk=pk)
    if not request.user.has_perm("panels.view_challenge", challenge):
        raise PermissionDenied
    may_decide = decidable_challenges(request.user).filter(pk=challenge.pk).exists()
    form, status = DecisionForm(), 200
    if request.method == "POST":
        if not request.user.has_perm("panels.manage_panels"):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid() and attempt(request, lambda fresh: recusal_domain.decide_challenge(
                fresh, accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"], actor=request.user), challenge,
                form=form).ok:
            messages.success(request, _("기피 신청을 결정했습니다."))
            return redirect("office:panels_challenge", pk=challenge.pk)
        status = 400
    return render(request, "office/panels/challenge.html", {
        "nav": "panels_challenges", "challenge": challenge, "may_decide": may_decide,
        "form": form, "version": concurrency.version_of(challenge),
        "is_officer": request.user.has_perm("panels.manage_panels"),
        "trail": _trail(concurrency.events_for(challenge)),
    }, status=status)
