"""Fields several office forms share: a score, a date, an XLSX upload."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Largest workbook accepted for import. A national registry export is a few MB; the
# limit keeps a stray upload from being read into memory and parsed on the request path.
# ``SEONGGWA_MAX_UPLOAD_BYTES`` in the settings overrides the default.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def score_field(label):
    """A score of 0 to 100 with two decimals (a filter or a what-if threshold)."""
    return forms.DecimalField(
        label=label, required=False, max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100",
                                        "inputmode": "decimal", "size": "6"}),
    )


def date_field(label, *, required=True, help_text=""):
    """A day, typed in the browser's date picker."""
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _upload_size(file) -> None:
    limit = getattr(settings, "SEONGGWA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if file.size > limit:
        raise forms.ValidationError(
            _("파일이 너무 큽니다 (%(size)s MB, 최대 %(max)s MB).")
            % {"size": round(file.size / 1024 / 1024, 1), "max": round(limit / 1024 / 1024, 1)})


def xlsx_field(label):
    """A workbook to import, refused before it is read when it is too large."""
    return forms.FileField(label=label, validators=[_upload_size],
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
