"""Forms of a subject's submission: a document, the actuals (typed or a workbook), the
submission itself and its re-opening."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core.forms import Form
from seonggwa.core.language import is_english

REASON_HELP = gettext_lazy("기한 밖에 기관을 대신해 처리할 때 필수 (예: 기한 내 공문 접수분 등록). "
                           "변경 이력에 남습니다.")


def _late_reason():
    return forms.CharField(label=gettext_lazy("기한 외 처리 사유"), required=False,
                           max_length=1000, help_text=REASON_HELP,
                           widget=forms.TextInput(attrs={"size": "40"}))


class UploadForm(Form):
    file = forms.FileField(label=gettext_lazy("파일"))
    reason = _late_reason()

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{t}" for t in types)


class ActualsForm(Form):
    """One optional field per quantitative indicator (an empty field leaves the stored
    actual as it is), and an optional workbook to import instead."""

    reason = _late_reason()

    def __init__(self, *args, indicators=(), stored=None, ask_reason=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_reason:
            del self.fields["reason"]
        stored = stored or {}
        for ind in indicators:
            unit = f" ({ind.unit})" if ind.unit else ""
            name = (ind.name_en or ind.name) if is_english() else ind.name
            self.fields[f"actual_{ind.code}"] = forms.DecimalField(
                label=f"{name}{unit}", required=False, max_digits=20, decimal_places=6,
                initial=stored.get(ind.code),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal",
                                                "size": "12"}))
        self.order_fields([f"actual_{i.code}" for i in indicators])

    def actuals(self) -> dict:
        return {name.removeprefix("actual_"): value
                for name, value in self.cleaned_data.items()
                if name.startswith("actual_") and value is not None}


class ActualsImportForm(Form):
    workbook = forms.FileField(label=gettext_lazy("XLSX 파일"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    reason = _late_reason()

    def __init__(self, *args, ask_reason=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_reason:
            del self.fields["reason"]

    def clean_workbook(self):
        file = self.cleaned_data["workbook"]
        limit = settings.SEONGGWA_MAX_UPLOAD_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("파일이 너무 큽니다 (%(size)s MB, 최대 %(max)s MB).")
                % {"size": f"{file.size / 1024 / 1024:.1f}", "max": f"{limit / 1024 / 1024:.0f}"})
        return file


class ReasonForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("사유"), max_length=1000,
        error_messages={"required": gettext_lazy("사유를 입력해야 합니다.")},
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))


class SubmitForm(Form):
    reason = _late_reason()
