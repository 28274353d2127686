"""Forms of the office pages. Filters are GET forms; changes are POST forms whose
``cleaned_data`` goes straight to a domain function."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.domain import policy as policies
from seonggwa.evaluations.models import DueAdjustment, FollowUpStatus
from seonggwa.registry.models import Organisation

DECISION_CHOICES = [
    ("", _("전체")),
    ("exclude", _("재계약 배제")),
    ("eligible", _("재계약 심의 가능")),
    ("none", _("평가 결과 없음")),
]


def _score_field(label):
    return forms.DecimalField(
        label=label, required=False, max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100",
                                        "inputmode": "decimal", "size": "6"}),
    )


class ServiceFilter(forms.Form):
    q = forms.CharField(label=_("검색어"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int,
                                  empty_value=None)
    department = forms.ModelChoiceField(label=_("사업부서"), required=False,
                                        queryset=Organisation.objects.none(),
                                        empty_label=_("전체"))
    contractor = forms.CharField(label=_("수탁기관"), required=False, max_length=100)
    score_min = _score_field(_("최저 점수"))
    score_max = _score_field(_("최고 점수"))
    decision = forms.ChoiceField(label=_("판정"), required=False, choices=DECISION_CHOICES)

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


class WhatIfForm(forms.Form):
    threshold = _score_field(_("가정 기준 점수"))
    policy = forms.ChoiceField(label=_("기준 정책"), required=False)
    years = forms.TypedMultipleChoiceField(label=_("연도"), required=False, coerce=int,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        english = (get_language() or "ko").startswith("en")
        self.fields["policy"].choices = [("", _("선택 안 함"))] + [
            (p.id, f"{p.label_en if english else p.label_ko} ({p.effective_from:%Y-%m-%d}~)")
            for p in policies.policies()
        ]
        self.fields["years"].choices = [(y, str(y)) for y in years]
        self.fields["threshold"].help_text = _("예: 75 — 2018~2020년 결과에 75점 기준을 적용하면?")

    def clean(self):
        data = super().clean()
        has_t = data.get("threshold") is not None
        has_p = bool(data.get("policy"))
        if has_t == has_p:
            raise forms.ValidationError(_("가정 기준 점수와 기준 정책 중 하나만 고르십시오."))
        return data


class DueAdjustForm(forms.Form):
    service = forms.CharField(label=_("사무 키"), max_length=120)
    action = forms.ChoiceField(label=_("조정"), choices=DueAdjustment.Action.choices)
    round_number = forms.TypedChoiceField(
        label=_("차수"), required=False, coerce=int, empty_value=None,
        choices=[("", "–"), (1, "1"), (2, "2"), (3, "3")],
    )
    reason = forms.CharField(label=_("사유"), max_length=500,
                             widget=forms.TextInput(attrs={"size": "30"}))


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("XLSX 파일"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    create_missing = forms.BooleanField(
        label=_("등록되지 않은 사업부서·수탁기관·사무를 새로 만들기"), required=False,
        help_text=_("선택하지 않으면 모르는 이름이 있는 파일은 거부됩니다."),
    )


class FollowUpForm(forms.Form):
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
