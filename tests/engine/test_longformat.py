"""Long-format rows -> BatchInput, the layout shared by the CLI and imports.

The reader builds the engine's compact form (panel indicators only, uint8 when the ratings
are whole numbers, quantitative-only actuals and targets): scoring it must give exactly
what scoring the same rows in the general ``values`` form gives."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from seonggwa.engine import BatchInput, InputError, batch_from_rows, load_preset, score_batch


def rows(*lines):
    return list(enumerate(lines, start=2))


def panel_values(framework, batch) -> np.ndarray:
    """The reader's compact ratings spread over all k indicators, NaN = no rating."""
    ratings = batch.ratings.astype(np.float64)
    if batch.ratings.dtype.kind == "u":
        ratings[batch.ratings == batch.no_rating] = np.nan
    panel = [j for j, ind in enumerate(framework.indicators) if ind.uses_panel]
    values = np.full((ratings.shape[0], len(framework.indicators), ratings.shape[2]), np.nan)
    values[:, panel, :] = ratings
    return values


def test_panel_rows_fill_slots_per_subject_and_indicator():
    framework = load_preset("seoul-civic-platform-2018")
    header = ["subject", "indicator", "evaluator", "value"]
    batch = batch_from_rows(framework, header, rows(
        ["강북구", "G1", "A", "5"], ["강북구", "G1", "B", "우수"], ["관악구", "G1", "A", "3"],
        ["강북구", "Q", "", "71.5"], ["", "", "", ""]))
    assert batch.subject_ids == ("강북구", "관악구")
    values = panel_values(framework, batch)
    assert values.shape == (2, 3, 2)
    assert values[0, 1].tolist() == [5, 4]  # label 우수 -> 4
    assert values[1, 1, 0] == 3 and np.isnan(values[1, 1, 1])
    assert values[0, 0, 0] == 71.5
    assert batch.values is None  # the compact form: panel indicators only


def test_quantitative_rows_numbers_with_thousands_separators_and_na():
    framework = load_preset("seoul-bsc-2020-citizen-communication")
    header = ["subject", "indicator", "actual", "target", "not_applicable"]
    batch = batch_from_rows(framework, header, rows(
        ["org", "field-participants", "10,500", "", ""],
        ["org", "complaint-delay", "3.5", "4", ""],
        ["org", "integrity", "", "", "예"]))
    assert batch.actuals[0, 1] == 10500 and batch.targets[0, 4] == 4
    assert bool(batch.not_applicable[0, 0])
    result = score_batch(framework, batch).subject(0)
    assert result.indicators[0].status == "not_applicable"


def test_groups_must_be_known_and_consistent():
    framework = load_preset("national-joint-evaluation-2020")
    header = ["subject", "group", "indicator", "actual", "target"]
    with pytest.raises(InputError, match="unknown group '군부'") as info:
        batch_from_rows(framework, header, rows(["서울", "군부", "big-data", "1", "1"]))
    assert (info.value.row, info.value.column) == (2, "group")
    with pytest.raises(InputError, match="conflicts with '시부'") as info:
        batch_from_rows(framework, header, rows(["서울", "시부", "big-data", "1", "1"],
                                                ["서울", "도부", "road-signs", "1", "1"]))
    assert info.value.row == 3


def test_a_row_for_an_indicator_outside_the_subjects_group_is_an_error():
    # 구제역 예방 is a 도부-only indicator: a 시부 row for it would silently not count.
    framework = load_preset("national-joint-evaluation-2020")
    header = ["subject", "group", "indicator", "actual", "target"]
    with pytest.raises(InputError, match="does not apply to group '시부'") as info:
        batch_from_rows(framework, header, rows(["서울", "", "fmd-vaccination", "1", "1"],
                                                ["서울", "시부", "big-data", "1", "1"]))
    assert (info.value.row, info.value.column) == (2, "indicator")
    batch = batch_from_rows(framework, header, rows(["경기", "도부", "fmd-vaccination", "1", "1"]))
    assert batch.subject_ids == ("경기",)


@pytest.mark.parametrize("line, column, message", [
    (["org", "integrity", "80", "", "1"], "value", "not applicable but has a value"),
    (["org", "integrity", "", "", "maybe"], "not_applicable", "expected yes/no"),
    (["org", "integrity", "", "abc", ""], "actual", "not a number"),
    (["", "integrity", "", "1", ""], "subject", "subject is empty"),
    (["org", "integrity", "5", "", ""], "value", "give actual and target"),
])
def test_row_errors_name_row_and_column(line, column, message):
    framework = load_preset("seoul-bsc-2020-citizen-communication")
    header = ["subject", "indicator", "value", "actual", "not_applicable"]
    with pytest.raises(InputError) as info:
        batch_from_rows(framework, header, rows(line), source="in.csv")
    assert (info.value.row, info.value.column) == (2, column)
    assert message in info.value.reason
    assert str(info.value).startswith(f"in.csv, row 2, column '{column}': ")


def test_missing_required_column_and_no_rows():
    framework = load_preset("seoul-outsourcing")
    with pytest.raises(InputError, match="required column 'indicator'"):
        batch_from_rows(framework, ["subject", "value"], rows(["a", "1"]))
    with pytest.raises(InputError, match="no data rows"):
        batch_from_rows(framework, ["subject", "indicator", "value"], rows())


def test_engine_does_not_import_django():
    code = ("import sys, seonggwa.engine, seonggwa.cli; "
            "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django'")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --------------------------------------------------------------------------- the compact form


PRESETS = ["seoul-outsourcing", "seoul-civic-platform-2018", "seoul-sustainability-2019",
           "seoul-bsc-2020-finance", "national-joint-evaluation-2020"]


def value_for(scale, rng) -> str:
    if scale.conversion == "table":
        return f"{rng.choice(sorted(scale.table)):g}"
    if scale.step:
        return f"{rng.choice(scale.allowed_values()):g}"
    return f"{rng.uniform(scale.min, scale.max):.1f}"


def long_rows(framework, rng, subjects=40):
    header = ["subject", "group", "indicator", "evaluator", "value", "actual", "target",
              "not_applicable"]
    lines = []
    groups = framework.groups or ("",)
    for s in range(subjects):
        group = groups[s % len(groups)]
        for ind in framework.indicators:
            if not ind.group_allows(group):
                continue
            if rng.random() < 0.05:  # left out for this subject
                lines.append([f"s{s}", group, ind.code, "", "", "", "", "예"])
            elif ind.uses_panel:
                least = ind.min_panel or framework.min_panel
                for m in range(rng.integers(least, least + 3)):  # panels of several sizes
                    lines.append([f"s{s}", group, ind.code, f"m{m}",
                                  value_for(ind.scale, rng), "", "", ""])
            else:
                target = "" if ind.target is not None else f"{rng.uniform(50, 150):.1f}"
                lines.append([f"s{s}", group, ind.code, "", "",
                              f"{rng.uniform(0, 200):.2f}", target, ""])
    return header, list(enumerate(lines, start=2))


def general_form(framework, batch) -> BatchInput:
    """The same batch over all k indicators (``values`` with NaN, [n, k] quantities)."""
    ratings = np.asarray(batch.ratings, dtype=np.float64)
    if batch.ratings.dtype.kind == "u":
        ratings[batch.ratings == batch.no_rating] = np.nan
    n, k = ratings.shape[0], len(framework.indicators)
    panel = [j for j, ind in enumerate(framework.indicators) if ind.uses_panel]
    quantitative = [j for j, ind in enumerate(framework.indicators)
                    if ind.kind == "quantitative"]
    values = np.full((n, k, ratings.shape[2]), np.nan)
    values[:, panel, :] = ratings
    spread = {}
    for name in ("actuals", "targets", "targets_high"):
        array = np.full((n, k), np.nan)
        array[:, quantitative] = getattr(batch, name)
        spread[name] = array
    return BatchInput(subject_ids=batch.subject_ids, values=values,
                      not_applicable=batch.not_applicable, groups=batch.groups,
                      overrides=batch.overrides, **spread)


@pytest.mark.parametrize("preset", PRESETS)
def test_the_compact_form_scores_exactly_as_the_general_form(preset):
    framework = load_preset(preset)
    header, rows = long_rows(framework, np.random.default_rng(7))
    batch = batch_from_rows(framework, header, rows)
    kp = sum(ind.uses_panel for ind in framework.indicators)
    assert batch.values is None
    if not kp:  # no panel indicator: nothing to make compact, quantities over all k
        assert batch.ratings is None
        assert batch.actuals.shape == (40, len(framework.indicators))
        return
    assert batch.ratings.shape[:2] == (40, kp)
    compact, general = score_batch(framework, batch), score_batch(framework,
                                                                  general_form(framework, batch))
    for name in ("total", "total_rounded", "band_index", "decision", "indicator_points",
                 "indicator_sd", "area_points", "max_points", "panel_count", "achievement",
                 "classification", "status", "rank"):
        assert np.array_equal(getattr(compact, name), getattr(general, name),
                              equal_nan=getattr(compact, name).dtype.kind == "f"), name


def test_whole_ratings_are_bytes_and_other_ratings_floats():
    civic = load_preset("seoul-outsourcing")
    header, rows = long_rows(civic, np.random.default_rng(1))
    batch = batch_from_rows(civic, header, rows)
    scales = [ind.scale for ind in civic.indicators if ind.uses_panel]
    if all(s.step == 1 and s.max < 255 for s in scales):
        assert batch.ratings.dtype == np.uint8
        assert not any(s.min <= batch.no_rating <= s.max for s in scales)
    survey = load_preset("seoul-civic-platform-2018")  # a 0-100 score with decimals
    header = ["subject", "indicator", "evaluator", "value"]
    batch = batch_from_rows(survey, header, [(2, ["a", "Q", "", "71.5"]),
                                             (3, ["a", "G1", "A", "5"])])
    assert batch.ratings.dtype == np.float64
    whole = batch_from_rows(survey, header, [(2, ["a", "Q", "", "71"]),
                                             (3, ["a", "G1", "A", "5"])])
    assert whole.ratings.dtype == np.uint8 and whole.no_rating == 255  # 0 is on a scale
