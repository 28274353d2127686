"""XLSX template, export and import of a year's results (officers)."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from seonggwa.core.downloads import XLSX, attachment
from seonggwa.evaluations.interfaces import xlsx
from seonggwa.evaluations.models import EvaluationYear, Result

from ..access import Perm, require
from ..forms.imports import ImportForm


@require(Perm.EVALUATIONS)
def transfer(request):
    form = ImportForm()
    errors = None
    more = total = 0
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = xlsx.import_results(
                    data["file"].read(), year=data["year"],
                    create_missing=data["create_missing"], actor=request.user)
            except xlsx.ImportRefused as exc:
                errors, more, total = exc.shown, exc.more, len(exc.errors)
                status = 400
            else:
                messages.success(request, _(
                    "%(year)s년 결과를 가져왔습니다: 새 결과 %(n)s건 (작성 중 상태), 정정 "
                    "%(corrected)s건, 그대로 %(unchanged)s건.")
                    % {"year": data["year"], "n": report.created,
                       "corrected": report.corrected, "unchanged": report.unchanged})
                return redirect("office:transfer")
        else:
            status = 400
    years = list(EvaluationYear.objects.order_by("-year").values_list("year", flat=True))
    counts = dict(Result.objects.outsourcing().order_by().values_list("round__year__year")
                  .annotate(n=Count("id")))
    return render(request, "office/transfer.html", {
        "nav": "transfer", "form": form, "errors": errors, "more": more, "total": total,
        "years": [(y, counts.get(y, 0)) for y in years], "columns": xlsx.COLUMNS,
        "required": xlsx.REQUIRED, "guide": xlsx.GUIDE,
    }, status=status)


@require(Perm.EVALUATIONS)
def template_download(request):
    return attachment(xlsx.blank_template(), "seonggwa-results-template.xlsx")


@require(Perm.EVALUATIONS)
def export_year(request, year: int):
    """A year's results, written row by row into a temporary file that is sent from disk
    and deleted when the response closes: memory stays flat however large the year."""
    tmp = tempfile.TemporaryFile()
    try:
        xlsx.export_results(year, target=tmp)
        tmp.seek(0)
    except BaseException:
        tmp.close()
        raise
    return FileResponse(tmp, as_attachment=True, filename=f"seonggwa-results-{year}.xlsx",
                        content_type=XLSX)
