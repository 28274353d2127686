"""The one error type of refused domain operations in the evaluations app."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """A refused state change or input; ``str(error)``/``.messages`` say why, in the
    active language (Korean by default; the message ids are Korean, translated by
    gettext)."""
