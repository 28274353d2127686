"""Forms of the service pages: the service list's filter and an improvement task's
follow-up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.models import FollowUpStatus
from seonggwa.registry.models import Organisation

from .fields import score_field


def decision_choices() -> list[tuple[str, str]]:
    """The service list's decision filter: every decision of the outsourcing framework's
    document, labelled in the active language, then "no result" (평가 결과 없음)."""
    return [("", _("전체")), *policies.decision_choices(), ("none", _("평가 결과 없음"))]


class ServiceFilter(Form):
    q = forms.CharField(label=_("검색어"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int,
                                  empty_value=None)
    department = forms.ModelChoiceField(label=_("사업부서"), required=False,
                                        queryset=Organisation.objects.none(),
                                        empty_label=_("전체"))
    contractor = forms.CharField(label=_("수탁기관"), required=False, max_length=100)
    score_min = score_field(_("최저 점수"))
    score_max = score_field(_("최고 점수"))
    decision = forms.ChoiceField(label=_("판정"), required=False, choices=decision_choices)

    def __init__(self, *args, years=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체(최근 평가)"))] + [(y, str(y)) for y in years]
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["q"].widget.attrs["placeholder"] = _("사무명·사업부서·수탁기관")

    def clean(self):
        data = super().clean()
        lo, hi = data.get("score_min"), data.get("score_max")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError(_("최저 점수가 최고 점수보다 큽니다."))
        return data


class FollowUpForm(Form):
    """The follow-up status of one improvement task (개선 과제 이행 상태), with a note."""

    status = forms.ChoiceField(label=_("이행 상태"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("확인 내용"), max_length=1000,
                           widget=forms.TextInput(attrs={"size": "30"}))
    round = forms.TypedChoiceField(label=_("확인한 평가"), required=False, coerce=int,
                                   empty_value=None)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {r.pk: r for r in rounds}
        self.fields["round"].choices = [("", "–")] + [(r.pk, str(r)) for r in rounds]

    def clean_round(self):
        pk = self.cleaned_data.get("round")
        return self.rounds.get(pk) if pk is not None else None
