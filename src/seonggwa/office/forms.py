"""Forms of the office pages. Filters are GET forms; changes are POST forms whose
``cleaned_data`` goes straight to a domain function."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from seonggwa.core.identifiers import KEY_MAX_LENGTH, validate_key
from seonggwa.core.language import is_english
from seonggwa.evaluations.domain import decisions as policies
from seonggwa.evaluations.models import DueAdjustment, FollowUpStatus
from seonggwa.registry.models import ContractPeriod, FigureKind, Organisation


def decision_choices() -> list[tuple[str, str]]:
    """The service list's decision filter: every decision of the outsourcing framework's
    document, labelled in the active language, then "no result" (평가 결과 없음)."""
    return [("", _("전체")), *policies.decision_choices(), ("none", _("평가 결과 없음"))]


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


class WhatIfForm(forms.Form):
    threshold = _score_field(_("가정 기준 점수"))
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


class DueAdjustForm(forms.Form):
    service = forms.CharField(label=_("사무 키"), max_length=120)
    action = forms.ChoiceField(label=_("조정"), choices=DueAdjustment.Action.choices)
    round_number = forms.TypedChoiceField(
        label=_("차수"), required=False, coerce=int, empty_value=None,
        choices=[("", "–"), (1, "1"), (2, "2"), (3, "3")],
    )
    reason = forms.CharField(label=_("사유"), max_length=500,
                             widget=forms.TextInput(attrs={"size": "30"}))


# Largest workbook accepted for import. A national registry export is a few MB; the
# limit keeps a stray upload from being read into memory and parsed on the request path.
# ``SEONGGWA_MAX_UPLOAD_BYTES`` in the settings overrides the default.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _upload_size(file) -> None:
    limit = getattr(settings, "SEONGGWA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if file.size > limit:
        raise forms.ValidationError(
            _("파일이 너무 큽니다 (%(size)s MB, 최대 %(max)s MB).")
            % {"size": round(file.size / 1024 / 1024, 1), "max": round(limit / 1024 / 1024, 1)})


def _xlsx_field(label):
    return forms.FileField(label=label, validators=[_upload_size],
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    file = _xlsx_field(_("XLSX 파일"))
    create_missing = forms.BooleanField(
        label=_("등록되지 않은 사업부서·수탁기관·사무를 새로 만들기"), required=False,
        help_text=_("선택하지 않으면 모르는 이름이 있는 파일은 거부됩니다."),
    )


def _result_score_field(label):
    return forms.DecimalField(
        label=label, max_digits=9, decimal_places=2, min_value=Decimal(0),
        help_text=_("평가틀 만점 이내, 소수점 둘째 자리까지."),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal",
                                        "size": "8"}))


class ResultScoreForm(forms.Form):
    """A draft result's published total (작성 중인 결과 수정)."""

    score = _result_score_field(_("점수"))
    remark = forms.CharField(label=_("비고"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"size": "40"}))


class CorrectionForm(forms.Form):
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


# ----------------------------------------------------------------------------- registry
# Field names are the keyword arguments of ``seonggwa.registry.domain.changes``: a view
# passes ``cleaned_data`` on and shows the domain's refusals next to the same fields.

def _date_field(label, required=True):
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _reason_field():
    return forms.CharField(label=_("사유"), required=False, max_length=500,
                           help_text=_("변경 이력에 남습니다 (예: 협약서, 공문 번호)."),
                           widget=forms.TextInput(attrs={"size": "40"}))


def _year_field():
    return forms.IntegerField(label=_("연도"), min_value=1990, max_value=2100)


class ServiceRecordForm(forms.Form):
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


class ContractPeriodForm(forms.Form):
    start = _date_field(_("시작일"))
    end = _date_field(_("종료일"))
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


class ContractEndForm(forms.Form):
    end = _date_field(_("종료일"))
    reason = forms.CharField(label=_("사유"), max_length=500,
                             help_text=_("필수: 해지·조기 종료의 근거."),
                             widget=forms.TextInput(attrs={"size": "40"}))


class CouncilConsentForm(forms.Form):
    date = _date_field(_("동의일"))
    note = forms.CharField(label=_("비고"), required=False, max_length=300,
                           help_text=_("예: 회기, 안건 번호"))
    reason = _reason_field()


class InspectionFindingForm(forms.Form):
    year = _year_field()
    date = _date_field(_("점검일"), required=False)
    count = forms.IntegerField(label=_("지적 건수"), min_value=0)
    corrective_demand = forms.BooleanField(label=_("시정요구"), required=False,
                                           initial=True)
    text = forms.CharField(label=_("지적 내용"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    reason = _reason_field()


class AuditResultForm(forms.Form):
    year = _year_field()
    date = _date_field(_("감사일"), required=False)
    auditor = forms.CharField(label=_("감사기관"), required=False, max_length=200)
    finding_count = forms.IntegerField(label=_("지적 건수"), min_value=0, initial=0)
    summary = forms.CharField(label=_("결과"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    reason = _reason_field()


class OperatingFigureForm(forms.Form):
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


class RegistryImportForm(forms.Form):
    file = _xlsx_field(_("대장 XLSX 파일"))
    create_missing = forms.BooleanField(
        label=_("등록되지 않은 사업부서·수탁기관을 새로 만들기"), required=False,
        help_text=_("선택하지 않으면 모르는 이름이 있는 파일은 거부됩니다. 비슷한 이름으로 "
                    "짐작하지 않습니다."),
    )
