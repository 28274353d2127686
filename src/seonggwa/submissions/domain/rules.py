"""The ``process.submission`` section of a framework document: read and validated here, by the
app that runs it (:mod:`seonggwa.core.process`).

::

    submission:
      max_megabytes: 20                 # largest file, in MiB (1 to 200)
      types: [pdf, hwp, hwpx, ...]      # accepted file types (FILE_TYPES), checked by content
      documents:                        # what each organisation submits, in order
        - {code: result_report, label: 결과보고서, label_en: Result report,
           required: true, project_years: [2]}

``required`` defaults to true; ``project_years`` (optional) limits a document to subjects in
those project years (civic platforms: the year-2 uncovered results).

A framework without this section has no submission part: its rounds ask for no documents and
the submission pages say so (the quantitative actuals are then entered by the officer on the
inputs path, as before).

Pure: no Django, so the framework import and the engine tests can run it anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "submission"
FIELDS = ("max_megabytes", "types", "documents")
DOCUMENT_FIELDS = ("code", "label", "label_en", "required", "project_years")
#: Every file type a framework may accept (the content checks of
#: :mod:`seonggwa.submissions.domain.filetypes`).
FILE_TYPES = ("pdf", "hwp", "hwpx", "docx", "xlsx", "pptx")
#: The largest file a framework may allow, in MiB (the request limit of the site applies too).
MAX_MEGABYTES = 200
_CODE = re.compile(r"\A[a-z][a-z0-9_]{0,59}\Z")


@dataclass(frozen=True)
class DocumentRule:
    code: str
    label: str
    label_en: str
    required: bool
    project_years: tuple[int, ...]  # empty: every project year

    def applies_to(self, project_year: int | None) -> bool:
        """Whether a subject in ``project_year`` submits this document. A document limited
        to some project years does not apply to a subject whose project year is unknown."""
        return not self.project_years or project_year in self.project_years


@dataclass(frozen=True)
class SubmissionRules:
    max_bytes: int
    types: tuple[str, ...]
    documents: tuple[DocumentRule, ...]

    def documents_for(self, project_year: int | None) -> tuple[DocumentRule, ...]:
        return tuple(d for d in self.documents if d.applies_to(project_year))

    def document(self, code: str) -> DocumentRule | None:
        return next((d for d in self.documents if d.code == code), None)


def parse(section: Mapping[str, Any] | None) -> SubmissionRules | None:
    """The rules of a valid section (``None``: the framework has no submission part)."""
    if not section:
        return None
    return SubmissionRules(
        max_bytes=int(float(section["max_megabytes"]) * 1024 * 1024),
        types=tuple(section["types"]),
        documents=tuple(DocumentRule(
            code=d["code"], label=d["label"], label_en=d.get("label_en") or d["label"],
            required=d.get("required", True),
            project_years=tuple(d.get("project_years") or ()))
            for d in section["documents"]),
    )


def problems(section: Any) -> list[tuple[str, str]]:
    """What is wrong with the section, as ``(path, message)`` pairs."""
    if not isinstance(section, Mapping):
        return [("", "expected a mapping")]
    found = [(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
             for key in section if key not in FIELDS]
    found += [(name, "required") for name in FIELDS if name not in section]
    if "max_megabytes" in section:
        found += _max_megabytes_problems(section["max_megabytes"])
    if "types" in section:
        found += _types_problems(section["types"])
    if "documents" in section:
        found += _documents_problems(section["documents"])
    return found


def _max_megabytes_problems(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not 0 < value <= MAX_MEGABYTES:
        return [("max_megabytes", f"a number of MiB above 0 and at most {MAX_MEGABYTES}")]
    return []


def _types_problems(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list) or not value:
        return [("types", f"a non-empty list of: {', '.join(FILE_TYPES)}")]
    found = [(f"types[{i}]", f"unknown type {t!r} (known: {', '.join(FILE_TYPES)})")
             for i, t in enumerate(value) if t not in FILE_TYPES]
    if len(set(map(str, value))) != len(value):
        found.append(("types", "a type is listed twice"))
    return found


def _documents_problems(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list) or not value:
        return [("documents", "a non-empty list of documents")]
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, doc in enumerate(value):
        path = f"documents[{i}]"
        if not isinstance(doc, Mapping):
            found.append((path, "expected a mapping"))
            continue
        found += [(f"{path}.{key}", f"unknown field (allowed: {', '.join(DOCUMENT_FIELDS)})")
                  for key in doc if key not in DOCUMENT_FIELDS]
        code = doc.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            found.append((f"{path}.code", "required: lower-case letters, digits and _ "
                                          "(at most 60), starting with a letter"))
        elif code in seen:
            found.append((f"{path}.code", f"{code!r} is listed twice"))
        else:
            seen.add(code)
        for name, required in (("label", True), ("label_en", False)):
            text = doc.get(name)
            if (required or text is not None) and (
                    not isinstance(text, str) or not text.strip() or len(text) > 200):
                found.append((f"{path}.{name}", "text of 1 to 200 characters"))
        if "required" in doc and not isinstance(doc["required"], bool):
            found.append((f"{path}.required", "true or false"))
        years = doc.get("project_years")
        if years is not None and (
                not isinstance(years, list) or not years
                or any(isinstance(y, bool) or not isinstance(y, int) or not 1 <= y <= 10
                       for y in years)):
            found.append((f"{path}.project_years", "a non-empty list of years 1 to 10"))
    return found
