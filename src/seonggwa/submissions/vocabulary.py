"""The words of this part's audit records (:mod:`seonggwa.core.vocabulary`): registered
when the app is ready, read by every page that shows a trail."""

from django.utils.translation import gettext_lazy as _

from seonggwa.core import vocabulary

vocabulary.register(
    actions={
        "submission.upload": _("제출 서류 올림"),
        "submission.submit": _("제출"),
        "submission.reopen": _("제출 다시 열기"),
    },
    fields={"document": _("서류")},
)
