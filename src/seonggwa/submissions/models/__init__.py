"""What an evaluated organisation submits for one round: a :class:`Submission` per round ×
subject (draft → submitted, reopened by the officer with a reason) and its
:class:`Document` files, every version kept.

Thin models: every change goes through :mod:`seonggwa.submissions.domain.submitting`,
which checks the deadline, the file and who acts, and audits it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seonggwa.evaluations.models import Round, Subject


class State(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("제출 완료")


class Kind(models.TextChoices):
    """The file types a framework may accept (checked by content:
    :mod:`seonggwa.submissions.domain.filetypes`)."""

    PDF = "pdf", "PDF"
    HWP = "hwp", _("한글(HWP)")
    HWPX = "hwpx", _("한글(HWPX)")
    DOCX = "docx", _("워드(DOCX)")
    XLSX = "xlsx", _("엑셀(XLSX)")
    PPTX = "pptx", _("파워포인트(PPTX)")


class Submission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions",
                              verbose_name=_("평가 차수"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="submissions",
                                verbose_name=_("평가 대상"))
    state = models.CharField(_("제출 상태"), max_length=12, choices=State.choices,
                             default=State.DRAFT)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("제출한 사람"))
    submitted_label = models.CharField(_("제출한 사람"), max_length=150, blank=True)
    late = models.BooleanField(
        _("기한 외 처리"), default=False,
        help_text=_("제출 기한 밖에 담당관이 기관을 대신해 제출 처리했습니다 (사유는 변경 이력에)."))
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        ordering = ["round", "subject"]
        verbose_name = _("제출")
        verbose_name_plural = _("제출")
        constraints = [
            models.UniqueConstraint(fields=["round", "subject"],
                                    name="submissions_one_per_round_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.round}"


class Document(models.Model):
    """One version of one submitted document. A replaced file is superseded
    (``superseded_at``), never deleted: every version stays downloadable."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT,
                                   related_name="documents", verbose_name=_("제출"))
    code = models.CharField(_("서류"), max_length=60)
    version = models.PositiveIntegerField(_("판"), default=1)
    # Stored under a random name (never the uploaded one): see submitting.store_file.
    file = models.FileField(_("파일"), max_length=255)
    original_name = models.CharField(_("파일 이름"), max_length=255)
    size = models.PositiveBigIntegerField(_("크기(바이트)"))
    kind = models.CharField(_("형식"), max_length=10, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("올린 사람"))
    uploaded_label = models.CharField(_("올린 사람"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("대체 일시"), null=True, blank=True)
    late = models.BooleanField(
        _("기한 외 제출"), default=False,
        help_text=_("제출 기한 밖에 담당관이 기관을 대신해 올린 파일입니다."))
    late_reason = models.TextField(_("기한 외 제출 사유"), blank=True)

    class Meta:
        ordering = ["submission", "code", "-version"]
        verbose_name = _("제출 서류")
        verbose_name_plural = _("제출 서류")
        constraints = [
            models.UniqueConstraint(fields=["submission", "code", "version"],
                                    name="submissions_document_unique_version"),
            models.UniqueConstraint(fields=["submission", "code"],
                                    condition=Q(superseded_at__isnull=True),
                                    name="submissions_document_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.version})"
