"""The registry forms of a service: its record, contract periods, council consents,
inspection findings, audit results and operating figures.

Field names are the keyword arguments of :mod:`seonggwa.registry.domain.changes`: a view
passes ``cleaned_data`` on and shows the domain's refusals next to the same fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.core.forms import Form
from seonggwa.core.identifiers import KEY_MAX_LENGTH, validate_key
from seonggwa.registry.models import ContractPeriod, FigureKind, Organisation

from .fields import date_field


def _reason_field():
    return forms.CharField(label=_("사유"), required=False, max_length=500,
                           help_text=_("변경 이력에 남습니다 (예: 협약서, 공문 번호)."),
                           widget=forms.TextInput(attrs={"size": "40"}))


def _year_field():
    return forms.IntegerField(label=_("연도"), min_value=1990, max_value=2100)


class ServiceRecordForm(Form):
    name = forms.CharField(label=_("사무명"), max_length=300,
                           widget=forms.TextInput(attrs={"size": "40"}))
    department = forms.ModelChoiceField(label=_("사업부서"), required=False,
                                        queryset=Organisation.objects.departments(),
                                        empty_label=_("(미기재)"))
    annual_cost = forms.CharField(
        label=_("연 사업비(원)"), required=False, max_length=30,
        help_text=_("원 단위 정수 (쉼표 허용). 비우면 '모름' — 평가대상 목록에서 검토 필요로 "
                    "표시됩니다."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "18"}))
    has_statutory_evaluation = forms.BooleanField(
        label=_("법령·조례상 별도 평가체계가 있음"), required=False,
        help_text=_("있으면 종합성과평가 대상에서 빠집니다."))
    notes = forms.CharField(label=_("비고"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    reason = _reason_field()


class ServiceCreateForm(ServiceRecordForm):
    key = forms.CharField(label=_("사무 키"), max_length=KEY_MAX_LENGTH,
                          validators=[validate_key],
                          help_text=_("다른 사무와 겹치지 않는 키 (예: svc-0139)."))
    field_order = ["key", "name", "department", "annual_cost", "has_statutory_evaluation",
                   "notes", "reason"]


class ContractPeriodForm(Form):
    start = date_field(_("시작일"))
    end = date_field(_("종료일"))
    kind = forms.ChoiceField(label=_("구분"), choices=ContractPeriod.Kind.choices)
    contractors = forms.ModelMultipleChoiceField(
        label=_("수탁기관"), required=False, queryset=Organisation.objects.contractors(),
        help_text=_("컨소시엄은 여러 기관을 고릅니다 (Ctrl/⌘ 누른 채 선택). 목록에 없는 "
                    "기관은 대장 엑셀 가져오기로 등록합니다."),
        widget=forms.SelectMultiple(attrs={"size": "8"}))
    previous = forms.ModelChoiceField(label=_("직전 계약"), required=False,
                                      queryset=ContractPeriod.objects.none(),
                                      empty_label=_("(없음)"))
    note = forms.CharField(label=_("비고"), required=False, max_length=300)
    reason = _reason_field()

    def __init__(self, *args, service=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = ContractPeriod.objects.filter(service=service).order_by("start")
        if instance is not None:
            qs = qs.exclude(pk=instance.pk)
        self.fields["previous"].queryset = qs
        self.fields["previous"].label_from_instance = (
            lambda p: f"{p.get_kind_display()} {p.start:%Y-%m-%d} ~ {p.end:%Y-%m-%d}")


class ContractEndForm(Form):
    end = date_field(_("종료일"))
    reason = forms.CharField(label=_("사유"), max_length=500,
                             help_text=_("필수: 해지·조기 종료의 근거."),
                             widget=forms.TextInput(attrs={"size": "40"}))


class CouncilConsentForm(Form):
    date = date_field(_("동의일"))
    note = forms.CharField(label=_("비고"), required=False, max_length=300,
                           help_text=_("예: 회기, 안건 번호"))
    reason = _reason_field()


class InspectionFindingForm(Form):
    year = _year_field()
    date = date_field(_("점검일"), required=False)
    count = forms.IntegerField(label=_("지적 건수"), min_value=0)
    corrective_demand = forms.BooleanField(label=_("시정요구"), required=False,
                                           initial=True)
    text = forms.CharField(label=_("지적 내용"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    reason = _reason_field()


class AuditResultForm(Form):
    year = _year_field()
    date = date_field(_("감사일"), required=False)
    auditor = forms.CharField(label=_("감사기관"), required=False, max_length=200)
    finding_count = forms.IntegerField(label=_("지적 건수"), min_value=0, initial=0)
    summary = forms.CharField(label=_("결과"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    reason = _reason_field()


class OperatingFigureForm(Form):
    kind = forms.ChoiceField(label=_("구분"), choices=FigureKind.choices)
    indicator = forms.CharField(label=_("지표"), required=False, max_length=200,
                                help_text=_("목표와 실적은 같은 지표 이름으로 적습니다."))
    year = _year_field()
    quarter = forms.TypedChoiceField(label=_("분기"), required=False, coerce=int,
                                     empty_value=None,
                                     choices=[("", _("연간")), (1, "1"), (2, "2"), (3, "3"),
                                              (4, "4")])
    value = forms.DecimalField(label=_("값"), max_digits=18, decimal_places=4,
                               help_text=_("백분율은 %p 값 (예: 88.02)"),
                               widget=forms.NumberInput(attrs={"step": "any",
                                                               "inputmode": "decimal"}))
    unit = forms.CharField(label=_("단위"), required=False, max_length=20)
    period_text = forms.CharField(label=_("기간(원문)"), required=False, max_length=100)
    source = forms.CharField(label=_("출처"), required=False, max_length=300)
    reason = _reason_field()
