"""Filter forms of the public pages (GET, so every filtered view has a shareable URL)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from seonggwa.registry.models import Organisation


class PublicResultFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("연도"), required=False, coerce=int, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("사업부서"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("전체"),
    )
    q = forms.CharField(label=_("검색어"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, years=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체"))] + [(y, str(y)) for y in years]
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["q"].widget.attrs["placeholder"] = _("사무명·수탁기관")
