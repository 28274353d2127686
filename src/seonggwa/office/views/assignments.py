"""Officer page: who is assigned to evaluate or review which round (or subject in it).

Assignments scope what evaluators and committee members see (:mod:`seonggwa.access`);
changes go through :mod:`seonggwa.evaluations.domain.assignments` (audited).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core import concurrency
from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.domain.assignments import ASSIGNABLE_ROLES, assign, unassign
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import Assignment, Round, Subject

from ..access import officer_required


def _assignable_users():
    return (get_user_model().objects.filter(profile__role__in=ASSIGNABLE_ROLES,
                                            is_active=True, is_superuser=False)
            .select_related("profile").order_by("username"))


def _round_subjects(round_: Round):
    return (Subject.objects.filter(pk__in=round_.results.values("subject"))
            | Subject.objects.filter(pk__in=round_.assignments.values("subject"))
            ).distinct().order_by("kind", "name")


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.profile.get_role_display()})"


class AssignmentForm(forms.Form):
    user = _UserChoice(label=gettext_lazy("사용자"), queryset=None,
                       help_text=gettext_lazy("평가위원·위원회·의회 사용자만 배정할 수 있습니다."))
    subject = forms.ModelChoiceField(label=gettext_lazy("평가 대상"), queryset=None,
                                     required=False,
                                     empty_label=gettext_lazy("차수 전체"),
                                     help_text=gettext_lazy("비워 두면 차수 전체"))

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _assignable_users()
        self.fields["subject"].queryset = _round_subjects(round_)


@officer_required
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


@officer_required
def assignment_round(request, round_id: int):
    round_ = get_object_or_404(Round.objects.select_related("year"), pk=round_id)
    form = AssignmentForm(round_=round_)
    status = 200
    version = concurrency.version(_round_changes(round_))
    loaded = concurrency.posted(request.POST)
    if request.method == "POST" and request.POST.get("action") == "remove":
        assignment = Assignment.objects.filter(pk=request.POST.get("assignment"),
                                               round=round_).first()
        try:
            with concurrency.guarded(loaded, round_, events=_round_changes(round_)):
                if assignment is None:
                    raise WorkflowError(_("해당 배정이 없습니다."))
                unassign(assignment.user, round_, assignment.subject, actor=request.user)
        except concurrency.StaleEdit as exc:
            messages.error(request, exc.message)
        except WorkflowError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("배정을 해제했습니다."))
        return redirect("office:assignment_round", round_id=round_.pk)
    if request.method == "POST":
        form = AssignmentForm(request.POST, round_=round_)
        if form.is_valid():
            try:
                with concurrency.guarded(loaded, round_, events=_round_changes(round_)):
                    assign(form.cleaned_data["user"], round_, form.cleaned_data["subject"],
                           actor=request.user)
            except concurrency.StaleEdit as exc:
                form.add_error(None, exc.message)
                version = exc.version
            except WorkflowError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("배정했습니다."))
                return redirect("office:assignment_round", round_id=round_.pk)
        status = 400
    assignments = (round_.assignments.select_related("user__profile", "subject")
                   .order_by("user__username", "subject__name"))
    return render(request, "office/assignment_round.html", {
        "nav": "assignments", "round": round_, "assignments": assignments, "form": form,
        "version": version,
    }, status=status)
