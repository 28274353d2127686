"""The form of the what-if page: a threshold or a policy, applied to chosen years."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form
from seonggwa.core.language import is_english
from seonggwa.evaluations.domain import decisions as policies

from .fields import score_field


class WhatIfForm(Form):
    threshold = score_field(_("가정 기준 점수"))
    policy = forms.ChoiceField(label=_("기준 정책"), required=False)
    years = forms.TypedMultipleChoiceField(label=_("연도"), required=False, coerce=int,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        english = is_english()
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
