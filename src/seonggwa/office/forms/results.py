"""The forms of a result: a draft's score and a correction (정정) with its reason."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form


def _result_score_field(label):
    return forms.DecimalField(
        label=label, max_digits=9, decimal_places=2, min_value=Decimal(0),
        help_text=_("평가틀 만점 이내, 소수점 둘째 자리까지."),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal",
                                        "size": "8"}))


class ResultScoreForm(Form):
    """A draft result's published total (작성 중인 결과 수정)."""

    score = _result_score_field(_("점수"))
    remark = forms.CharField(label=_("비고"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"size": "40"}))


class CorrectionForm(Form):
    """A correction (정정) of a finalised or published result: the new total and why."""

    score = _result_score_field(_("정정 점수"))
    reason = forms.CharField(
        label=_("정정 사유"), max_length=1000,
        error_messages={"required": _("정정 사유를 입력해야 합니다.")},
        help_text=_("필수: 정정의 근거 (예: 이의신청 인용, 공문 번호). 변경 이력에 남습니다."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    remark = forms.CharField(label=_("비고"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"size": "40"}))

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("정정 사유를 입력해야 합니다."))
        return reason
