"""The ``process.submission`` section: the preset's is valid and read as written; every
wrong field is named; a framework without the section has no submission part."""

from __future__ import annotations

import copy

import pytest

from seonggwa import engine
from seonggwa.submissions.domain.rules import parse, problems


def civic_section() -> dict:
    return copy.deepcopy(engine.load_preset("seoul-civic-platform-2018").process["submission"])


def test_the_preset_section_is_valid_and_read_as_written():
    section = civic_section()
    assert problems(section) == []
    rules = parse(section)
    assert rules.max_bytes == 20 * 1024 * 1024
    assert rules.types == ("pdf", "hwp", "hwpx", "docx", "xlsx", "pptx")
    assert [d.code for d in rules.documents_for(1)] == [
        "result_report", "indicator_table", "self_evaluation_head", "self_evaluation_members"]
    assert rules.documents_for(2)[-1].code == "uncovered_results"
    assert [d.code for d in rules.documents_for(None)] == [
        d.code for d in rules.documents_for(1)]


def test_no_section_means_no_submission_part():
    assert parse(None) is None
    assert parse({}) is None


@pytest.mark.parametrize(("change", "path"), [
    (lambda s: s.update(max_megabytes=0), "max_megabytes"),
    (lambda s: s.update(max_megabytes="20"), "max_megabytes"),
    (lambda s: s.update(max_megabytes=True), "max_megabytes"),
    (lambda s: s.update(max_megabytes=10_000), "max_megabytes"),
    (lambda s: s.update(types=["pdf", "exe"]), "types[1]"),
    (lambda s: s.update(types=[]), "types"),
    (lambda s: s.update(types=["pdf", "pdf"]), "types"),
    (lambda s: s.update(documents=[]), "documents"),
    (lambda s: s.pop("documents"), "documents"),
    (lambda s: s.update(colour="red"), "colour"),
    (lambda s: s["documents"][0].update(code="Result Report"), "documents[0].code"),
    (lambda s: s["documents"][1].update(code="result_report"), "documents[1].code"),
    (lambda s: s["documents"][0].update(label=""), "documents[0].label"),
    (lambda s: s["documents"][0].update(label_en=3), "documents[0].label_en"),
    (lambda s: s["documents"][0].update(required="yes"), "documents[0].required"),
    (lambda s: s["documents"][4].update(project_years=[0]), "documents[4].project_years"),
    (lambda s: s["documents"][4].update(project_years=2), "documents[4].project_years"),
    (lambda s: s["documents"][0].update(deadline="x"), "documents[0].deadline"),
    (lambda s: s["documents"].append("memo"), "documents[5]"),
])
def test_each_wrong_field_is_named(change, path):
    section = civic_section()
    change(section)
    assert path in [p for p, _message in problems(section)]


def test_a_framework_with_a_wrong_section_is_refused_on_import(db):
    from seonggwa.evaluations.domain.errors import WorkflowError
    from seonggwa.evaluations.domain.frameworks import import_framework_version

    doc = copy.deepcopy(engine.load_preset("seoul-civic-platform-2018").document)
    doc["version"] = "broken"
    doc["process"]["submission"]["types"] = ["exe"]
    with pytest.raises(WorkflowError, match=r"process\.submission\.types\[0\]"):
        import_framework_version(doc, source="test")
