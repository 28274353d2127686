"""Exceptions raised by the scoring engine.

Every error says *where* the problem is, in the terms the user edits:

- :class:`FrameworkError` — a framework document (YAML) is invalid. ``.field`` is a path
  such as ``areas[1].indicators[3].points`` (0-based, like a JSON path), ``.reason`` says
  what is wrong and ``.source`` names the file (or ``<dict>``).
- :class:`InputError` — a row of a long-format input table is invalid. ``.row`` is the
  1-based row number as a spreadsheet shows it (header = row 1), ``.column`` the column
  name.
- :class:`ScoringError` — arrays handed to :func:`score_batch` break a rule (rating
  outside its scale, missing data under ``missing: error``, no policy in force, ...).
  It names the subject and indicator.

All are ``ValueError`` subclasses so callers that only know "bad value" still work.
"""

from __future__ import annotations


class SeonggwaError(Exception):
    """Base class of every error the engine raises on purpose."""


class FrameworkError(SeonggwaError, ValueError):
    """A framework document failed validation."""

    def __init__(self, field: str, reason: str, source: str = "<dict>") -> None:
        self.field = field
        self.reason = reason
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.reason}"

    def with_source(self, source: str) -> FrameworkError:
        return FrameworkError(self.field, self.reason, source)


class InputError(SeonggwaError, ValueError):
    """A row or cell of an input table is invalid."""

    def __init__(
        self,
        reason: str,
        source: str = "<input>",
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


class ScoringError(SeonggwaError, ValueError):
    """Batch data breaks a rule of the framework."""

    def __init__(
        self,
        reason: str,
        subject: str | None = None,
        indicator: str | None = None,
        member: int | None = None,
    ) -> None:
        self.reason = reason
        self.subject = subject
        self.indicator = indicator
        self.member = member
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.subject is not None:
            where.append(f"subject '{self.subject}'")
        if self.indicator is not None:
            where.append(f"indicator '{self.indicator}'")
        if self.member is not None:
            where.append(f"panel slot {self.member}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason
