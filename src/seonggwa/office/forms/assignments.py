"""The form of a round's assignments: who evaluates or reviews the round or a subject."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from seonggwa.core.forms import Form
from seonggwa.evaluations.domain.assignments import ASSIGNABLE_ROLES
from seonggwa.evaluations.models import Round, Subject


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


class AssignmentForm(Form):
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
