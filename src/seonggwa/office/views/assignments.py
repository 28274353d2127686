"""Officer page: who is assigned to evaluate or review which round (or subject in it).

Assignments scope what evaluators and committee members see (:mod:`seonggwa.access`);
changes go through :mod:`seonggwa.evaluations.domain.assignments` (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.assignments import assign, unassign
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Assignment, Round

from ..access import Perm, require
from ..actions import attempt
from ..forms.assignments import AssignmentForm


@require(Perm.EVALUATIONS)
def assignment_index(request):
    rounds = Round.objects.select_related("year").order_by("-year__year", "scheme", "-number")
    counts = dict(Assignment.objects.values_list("round").order_by()
                  .annotate(n=Count("id")))
    return render(request, "office/assignments.html", {
        "nav": "assignments",
        "rounds": [(r, counts.get(r.pk, 0)) for r in rounds],
    })


def _round_changes(round_: Round):
    """The audit events of the assignments of ``round_``: any of them since the page was
    loaded means the list the official decided on is no longer the list."""
    return AuditEvent.objects.filter(action__in=("assignment.add", "assignment.remove")).filter(
        Q(after__round_id=round_.pk) | Q(before__round_id=round_.pk))


@require(Perm.EVALUATIONS)
def assignment_round(request, round_id: int):
    round_ = get_object_or_404(Round.objects.select_related("year"), pk=round_id)
    form = AssignmentForm(round_=round_)
    status = 200
    version = concurrency.version(_round_changes(round_))
    if request.method == "POST" and request.POST.get("action") == "remove":
        assignment = Assignment.objects.filter(pk=request.POST.get("assignment"),
                                               round=round_).first()

        def remove(_round):
            if assignment is None:
                raise WorkflowError(_("해당 배정이 없습니다."))
            unassign(assignment.user, round_, assignment.subject, actor=request.user)

        if attempt(request, remove, round_, events=_round_changes(round_), tell=True).ok:
            messages.success(request, _("배정을 해제했습니다."))
        return redirect("office:assignment_round", round_id=round_.pk)
    if request.method == "POST":
        form = AssignmentForm(request.POST, round_=round_)
        if form.is_valid():
            done = attempt(request, lambda _round: assign(
                form.cleaned_data["user"], round_, form.cleaned_data["subject"],
                actor=request.user), round_, events=_round_changes(round_), form=form)
            if done.ok:
                messages.success(request, _("배정했습니다."))
                return redirect("office:assignment_round", round_id=round_.pk)
            version = done.version_or(version)
        status = 400
    assignments = (round_.assignments.select_related("user__profile", "subject")
                   .order_by("user__username", "subject__name"))
    return render(request, "office/assignment_round.html", {
        "nav": "assignments", "round": round_, "assignments": assignments, "form": form,
        "version": version,
    }, status=status)
