"""Long-format rows -> BatchInput, the layout shared by the CLI and imports."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from seonggwa.engine import InputError, batch_from_rows, load_preset, score_batch


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
