"""The workbook imports: a year's results and the registry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form

from .fields import xlsx_field


class ImportForm(Form):
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    file = xlsx_field(_("XLSX 파일"))
    create_missing = forms.BooleanField(
        label=_("등록되지 않은 사업부서·수탁기관·사무를 새로 만들기"), required=False,
        help_text=_("선택하지 않으면 모르는 이름이 있는 파일은 거부됩니다."),
    )


class RegistryImportForm(Form):
    file = xlsx_field(_("대장 XLSX 파일"))
    create_missing = forms.BooleanField(
        label=_("등록되지 않은 사업부서·수탁기관을 새로 만들기"), required=False,
        help_text=_("선택하지 않으면 모르는 이름이 있는 파일은 거부됩니다. 비슷한 이름으로 "
                    "짐작하지 않습니다."),
    )
