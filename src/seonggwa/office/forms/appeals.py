"""Forms of an appeal: the evaluated organisation's objection and the officer's record of
the re-review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from seonggwa.appeals.models import Outcome
from seonggwa.appeals.models.appeals import REASONS_MAX
from seonggwa.core.forms import Form


class ObjectionForm(Form):
    reasons = forms.CharField(
        label=gettext_lazy("이의신청 사유"), max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("어느 지표의 어떤 판단에 왜 동의하지 않는지 적어 주십시오. "
                               "이의신청은 한 번만 할 수 있습니다."))


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("평가단 재심의 결과"), widget=forms.RadioSelect,
        choices=[(Outcome.UPHELD, gettext_lazy("원안 유지")),
                 (Outcome.REVISED, gettext_lazy("수정 (아래 점수를 고쳐 다시 채점)"))])
    reason = forms.CharField(label=gettext_lazy("재심의 사유"), max_length=REASONS_MAX,
                             widget=forms.Textarea(attrs={"rows": 6}))
