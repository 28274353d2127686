"""The form of the due list: an officer's adjustment of one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form
from seonggwa.evaluations.models import DueAdjustment


class DueAdjustForm(Form):
    service = forms.CharField(label=_("사무 키"), max_length=120)
    action = forms.ChoiceField(label=_("조정"), choices=DueAdjustment.Action.choices)
    round_number = forms.TypedChoiceField(
        label=_("차수"), required=False, coerce=int, empty_value=None,
        choices=[("", "–"), (1, "1"), (2, "2"), (3, "3")],
    )
    reason = forms.CharField(label=_("사유"), max_length=500,
                             widget=forms.TextInput(attrs={"size": "30"}))
