"""Decision vocabulary (codes + labels), presets built on a base, rescaled totals."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest

from seonggwa.engine import (
    BatchInput,
    DecisionDef,
    FrameworkError,
    framework_from_dict,
    list_presets,
    load_preset,
    score_batch,
    score_subject,
)
from seonggwa.engine import presets as presets_module

DAY = dt.date(2023, 3, 1)
VOCABULARY = [{"code": "review", "label": "재검토", "label_en": "Review"},
              {"code": "exclude", "label": "배제", "label_en": "Excluded"},
              {"code": "keep", "label": "유지"}]


def coded(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc["decisions"] = copy.deepcopy(VOCABULARY)
    doc["bands"][0]["decision"] = "review"
    for policy in doc["policies"]:
        policy["below"], policy["otherwise"] = "exclude", "keep"
    return doc


def reject(doc: dict, field: str, *parts: str) -> None:
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(doc)
    assert info.value.field == field, str(info.value)
    for part in parts:
        assert part in info.value.reason, info.value.reason


# --------------------------------------------------------------------------- vocabulary


def test_declared_vocabulary(mixed_doc):
    framework = framework_from_dict(coded(mixed_doc))
    assert framework.decisions == (DecisionDef("review", "재검토", "Review"),
                                   DecisionDef("exclude", "배제", "Excluded"),
                                   DecisionDef("keep", "유지", None))
    assert framework.decision_codes == ("", "review", "exclude", "keep")
    assert framework.decision_labels == ("", "재검토", "배제", "유지")
    assert framework.decision_def("exclude").label_en == "Excluded"
    assert framework.decision_label("exclude") == "배제"
    assert framework.decision_label("exclude", lang="en") == "Excluded"
    assert framework.decision_label("keep", lang="en") == "유지"  # falls back to Korean
    assert framework.decision_label("") == ""
    with pytest.raises(KeyError, match="unknown decision code 'nope'"):
        framework.decision_def("nope")


def test_results_carry_the_code_and_both_labels(mixed_doc):
    framework = framework_from_dict(coded(mixed_doc))
    values = np.full((3, len(framework.indicators), 3), np.nan)
    d = framework.indicator_index["D"]
    values[:, d, :] = np.array([5.0, 7.0, 9.0])[:, None]
    na = np.ones((3, len(framework.indicators)), dtype=bool)
    na[:, d] = False
    result = score_batch(framework, BatchInput(["a", "b", "c"], values, not_applicable=na), DAY)
    assert result.decision_codes() == ["exclude", "exclude", "keep"]
    assert result.decision_labels() == ["배제", "배제", "유지"]
    assert result.decision_labels("en") == ["Excluded", "Excluded", "유지"]
    subject = result.subject(0)
    assert (subject.decision, subject.decision_label, subject.decision_label_en) == (
        "exclude", "배제", "Excluded")
    data = subject.to_dict()
    assert (data["decision"], data["decision_label"], data["decision_label_en"]) == (
        "exclude", "배제", "Excluded")
    assert data["policy_id"] == "p75" and data["policy_threshold"] == 75
    assert "decision 배제 (exclude)" in subject.explain()


def test_unknown_decision_codes_are_refused_with_the_field(mixed_doc):
    doc = coded(mixed_doc)
    doc["policies"][0]["below"] = "foo"
    reject(doc, "policies[0].below", "unknown decision code 'foo'",
           "(declared: review, exclude, keep)")
    doc = coded(mixed_doc)
    doc["policies"][1]["otherwise"] = "유지"  # a label is not a code
    reject(doc, "policies[1].otherwise", "unknown decision code '유지'")
    doc = coded(mixed_doc)
    doc["bands"][0]["decision"] = "재검토"
    reject(doc, "bands[0].decision", "unknown decision code '재검토'")


def test_decision_entries_are_checked(mixed_doc):
    doc = coded(mixed_doc)
    doc["decisions"].append({"code": "keep", "label": "또 유지"})
    reject(doc, "decisions[3].code", "duplicate decision code 'keep'", "decisions[2]")
    doc = coded(mixed_doc)
    del doc["decisions"][0]["label"]
    reject(doc, "decisions[0].label", "required")
    doc = coded(mixed_doc)
    doc["decisions"][0]["code"] = "no spaces"
    reject(doc, "decisions[0].code", "invalid code")
    doc = coded(mixed_doc)
    doc["decisions"][0]["colour"] = "red"
    reject(doc, "decisions[0].colour", "unknown field")
    doc = coded(mixed_doc)
    doc["decisions"] = {"keep": "유지"}
    reject(doc, "decisions", "expected a list")


def test_legacy_documents_use_each_text_as_code_and_label(mixed):
    assert mixed.decision_codes == ("", "재검토", "배제", "유지")
    assert mixed.decision_labels == mixed.decision_codes
    assert mixed.decisions[1] == DecisionDef("배제", "배제", None)
    result = score_subject(mixed, "S", ratings={"D": [5, 5, 5]}, not_applicable=[
        c for c in mixed.indicator_codes if c != "D"], on_date=DAY)
    assert (result.decision, result.decision_label, result.decision_label_en) == (
        "배제", "배제", "배제")


# --------------------------------------------------------------------------- base presets


def test_published_total_preset_is_built_on_the_outsourcing_preset():
    assert "seoul-outsourcing-published-total" in list_presets()
    framework = load_preset("seoul-outsourcing-published-total")
    base = load_preset("seoul-outsourcing")
    assert (framework.id, framework.version) == ("seoul-outsourcing", "published-total")
    assert framework.title == "민간위탁 종합성과평가 (총점 공개분)"
    assert framework.indicator_codes == ("T",)
    assert framework.indicator("T").kind == "direct" and framework.indicator("T").points == 100
    assert framework.policies == base.policies and framework.decisions == base.decisions
    assert framework.fingerprint != base.fingerprint
    # The stored document is the resolved one and re-validates on its own.
    assert "base" not in framework.document and "policies" in framework.document
    assert framework_from_dict(framework.document).fingerprint == framework.fingerprint


@pytest.mark.parametrize("published, day, rounded, decision", [
    (80.51, DAY, 80.51, "eligible"),
    (74.995, DAY, 75.00, "eligible"),   # half up to 75.00, decided on the rounded total
    (74.994, DAY, 74.99, "exclude"),
    (59.99, dt.date(2020, 6, 1), 59.99, "exclude"),
    (70.00, dt.date(2020, 6, 1), 70.00, "eligible"),  # the 60-point line of 2018-2021
    (70.00, DAY, 70.00, "exclude"),
])
def test_published_totals_are_decided_under_the_base_policies(published, day, rounded,
                                                              decision):
    framework = load_preset("seoul-outsourcing-published-total")
    result = score_subject(framework, "svc", ratings={"T": [published]}, on_date=day)
    assert result.total_rounded == rounded
    assert result.decision == decision
    assert not result.rescaled and result.scale_max == 100


def fake_presets(monkeypatch, tmp_path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(presets_module, "_preset_files",
                        lambda: {p.stem: p for p in tmp_path.glob("*.yaml")})


def test_base_cycles_and_unknown_bases_are_refused(monkeypatch, tmp_path):
    fake_presets(monkeypatch, tmp_path, {"a": "base: b\n", "b": "base: a\n", "c": "base: c\n",
                                         "d": "base: nowhere\nversion: x\n"})
    for name, reason in [("a", "cycle of base presets (a -> b -> a)"),
                         ("c", "cycle of base presets (c -> c)"),
                         ("d", "unknown base preset 'nowhere'")]:
        with pytest.raises(FrameworkError) as info:
            load_preset(name)
        assert info.value.field == "base" and reason in info.value.reason


def test_base_keys_are_replaced_whole(monkeypatch, tmp_path):
    base = ("id: tiny\nversion: '1'\ntitle: tiny\ntotal: 10\nareas:\n  - code: a\n    name: a\n"
            "    indicators:\n      - {code: x, name: x, kind: direct, points: 10}\n")
    fake_presets(monkeypatch, tmp_path, {
        "tiny": base, "tiny-2": "base: tiny\nversion: '2'\n",
        "tiny-3": "base: tiny-2\ntitle: third\n"})
    third = load_preset("tiny-3")
    assert (third.id, third.version, third.title) == ("tiny", "2", "third")
    assert set(third.document) == {"id", "version", "title", "total", "areas"}


# --------------------------------------------------------------------------- rescaling


def test_rescaled_total_states_its_scale():
    # Outsourcing: the survey does not apply -> 24 + 40 = 64 of 80 -> 80.00 of 100
    framework = load_preset("seoul-outsourcing")
    result = score_subject(framework, "svc", ratings={"C": [24], "I": [40.15]},
                           not_applicable=["S"], on_date=DAY)
    assert result.total_rounded == pytest.approx(80.19, abs=1e-9)  # 64.15 / 80 x 100
    assert (result.scale_max, result.counted_max, result.rescaled) == (100, 80, True)
    assert result.counted_points == pytest.approx(64.15)
    assert result.max_points == result.counted_max
    line = result.explain().splitlines()[0]
    assert "80.19 of 100 (rescaled from 64.15 of 80 applicable points)" in line
    assert "of 80.00" not in line
    data = result.to_dict()
    assert (data["scale_max"], data["counted_max"], data["rescaled"]) == (100, 80, True)
    whole = score_subject(framework, "svc", ratings={"C": [24], "I": [40], "S": [85]},
                          on_date=DAY)
    assert (whole.counted_max, whole.rescaled) == (100, False)
    assert whole.explain().splitlines()[0].startswith("svc: 81.00 of 100, decision")


def test_decide_totals_matches_score_batch():
    from seonggwa.engine import decide_totals

    framework = load_preset("seoul-outsourcing-published-total")
    totals = [70.0, 74.995, 74.99, 59.99]
    codes = [framework.decision_codes[i]
             for i in decide_totals(framework, totals, on_date=DAY).tolist()]
    assert codes == ["exclude", "eligible", "exclude", "exclude"]
    old = decide_totals(framework, totals, on_date=dt.date(2020, 1, 1))
    assert [framework.decision_codes[i] for i in old.tolist()] == [
        "eligible", "eligible", "eligible", "exclude"]
    values = np.array(totals)[:, None, None]
    scored = score_batch(framework, BatchInput(["a", "b", "c", "d"], values), DAY)
    assert scored.decision_codes() == codes
