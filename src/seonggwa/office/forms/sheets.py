"""Forms of the scoring pages: a member's sheet, the officer's desk-review scores and the
re-opening of a submitted sheet.

The sheet form is built from the sheet's indicators (:func:`seonggwa.sheets.domain.sheets.
sheet_indicators`), one value and the texts per indicator, under the names the page posts
(``G1-value``, ``G1-outcomes``…). It checks each value on its indicator's scale with the
inputs' own check (:func:`seonggwa.evaluations.domain.inputs.check_rating`) and every text
against the bounds, and gives the domain its :class:`~seonggwa.sheets.domain.sheets.
EntryInput` s; what only the domain can judge (lengths, the submission's rules) it still
judges on save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.core.forms import Form
from seonggwa.evaluations.domain.inputs import check_rating
from seonggwa.sheets.domain import integrity
from seonggwa.sheets.domain import sheets as domain


def text_labels() -> dict[str, str]:
    """The fields of a sheet entry in words, in the page's language."""
    return {"value": _("평점"), "outcomes": _("성과"), "limits": _("한계"),
            "improvements": _("개선방향"), "justification": _("평점 사유")}


def _on_scale(framework, code: str):
    def check(value):
        check_rating(framework, code, value)  # refuses with the inputs' own words

    return check


class SheetForm(Form):
    """A member's sheet of one subject: per indicator its value and texts."""

    def __init__(self, *args, framework, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = domain.sheet_indicators(framework)
        labels = text_labels()
        for ind in self.indicators:
            self.fields[self.name(ind.code)] = forms.CharField(
                label=f"{ind.code} {labels['value']}", required=False,
                validators=[_on_scale(framework, ind.code)])
            for text in domain.TEXT_FIELDS:
                # kept as typed (the domain trims and counts it): a text area, so tab and
                # line breaks are allowed
                self.fields[self.name(ind.code, text)] = forms.CharField(
                    label=f"{ind.code} {labels[text]}", required=False, strip=False,
                    widget=forms.Textarea)
        if sheet is not None and not self.is_bound:
            for entry in sheet.entries.all():
                if self.name(entry.indicator) not in self.fields:
                    continue
                self.initial[self.name(entry.indicator)] = (
                    "" if entry.value is None else integrity.plain_number(entry.value))
                for text in domain.TEXT_FIELDS:
                    self.initial[self.name(entry.indicator, text)] = getattr(entry, text)

    @staticmethod
    def name(code: str, part: str = "value") -> str:
        return f"{code}-{part}"

    def shown(self, code: str, part: str = "value") -> str:
        """What the page shows in a field: as typed (the value cut to 60 characters), else
        as stored."""
        value = self[self.name(code, part)].value() or ""
        return value[:60] if part == "value" and self.is_bound else value

    def entries(self) -> dict[str, domain.EntryInput]:
        data = self.cleaned_data
        return {ind.code: domain.EntryInput(
            value=data[self.name(ind.code)],
            **{t: data[self.name(ind.code, t)] for t in domain.TEXT_FIELDS})
            for ind in self.indicators}

    def problems(self) -> list[str]:
        """Every refusal, in the order of the sheet: a value's as the scale check says it
        (it names the indicator), a text's after the indicator and the field."""
        found = list(self.non_field_errors())
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                found.append(message if name.endswith("-value") else f"{field.label}: {message}")
        return found


class DeskReviewForm(Form):
    """The officer's desk-review scores of a page of subjects, one field per subject and
    desk indicator (``<subject id>-<code>``); the domain checks each on its scale."""

    def __init__(self, *args, subjects=(), codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = [(s, c) for s in subjects for c in codes]
        for subject, code in self.cells:
            self.fields[f"{subject.pk}-{code}"] = forms.CharField(
                label=f"{subject.name} {code}", required=False)

    def scores(self) -> dict:
        data = self.cleaned_data
        scores: dict = {}
        for subject, code in self.cells:
            scores.setdefault(subject, {})[code] = data[f"{subject.pk}-{code}"]
        return scores

    def problems(self) -> list[str]:
        return [f"{self.fields[name].label}: {m}" for name in self.fields
                for m in self.errors.get(name, [])]


class ReopenForm(Form):
    """Why a submitted sheet is re-opened (the domain refuses an empty reason)."""

    reason = forms.CharField(label=gettext_lazy("사유"), required=False, widget=forms.Textarea)
