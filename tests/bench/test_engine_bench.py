"""Smoke test of bench/engine.py: at a tiny size the three implementations must agree.

A correctness test, not a timed one: it catches drift between the engine (a) on both
input forms, the per-record reference (b) and the minimal numpy maths — (c) with the
required outputs, (c0) totals only, (c+) every output — totals within 1e-9, rounded
totals, grades and decisions identical, per-indicator points and sd within 1e-9.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
bench = importlib.import_module("bench.engine")

TINY = 0.002  # 100 subjects: 17,500 ratings, 2,500 actuals
TABLE_SCALE = {1: 0.0, 2: 35.0, 3: 60.0, 4: 85.0, 5: 100.0}  # not affine


def engine_available() -> bool:
    try:
        bench.prepare_engine(bench.make_framework())
    except bench.EngineUnavailable:
        return False
    return True


@pytest.mark.parametrize("scale", [None, TABLE_SCALE], ids=["ratio-scale", "table-scale"])
def test_per_record_and_minimal_numpy_agree(scale):
    fw = bench.make_framework(scale=scale)
    data = bench.generate(fw, 120, seed=7)
    rows, actuals = bench.to_records(fw, data, 120)
    assert len(rows) == 120 * 25 * 7 and len(actuals) == 120 * 25
    per_record = bench.per_record_result(
        fw, data, bench.score_per_record(bench.per_record_rules(fw), rows, actuals)
    )
    minimal = bench.score_numpy(fw, data)
    agreement = bench.compare("(b) vs (c0)", fw, minimal, per_record)
    bench.compare("(c+) vs (c0)", fw, minimal, bench.score_numpy_all_outputs(fw, data))
    bench.compare("(c) vs (c0)", fw, minimal, bench.score_numpy_required(fw, data))
    assert agreement["max_abs_total_diff"] <= 1e-9
    # the workload exercises both decisions and several grades
    assert 0 < minimal.excluded.sum() < len(minimal.excluded)
    assert len(np.unique(minimal.grade)) >= 3


def test_edge_rows_agree():
    """Zero actual on a lower-is-better indicator, unanimous panels, actual far above target."""
    fw = bench.make_framework()
    data = bench.generate(fw, 6, seed=3)
    lower = np.flatnonzero(fw.lower_is_better)[0]
    data.actual[0, lower] = 0.0
    data.ratings[1] = 5
    data.ratings[2] = 1
    data.actual[1:4] = data.target[1:4] * np.where(fw.lower_is_better, 0.01, 100.0)
    rows, actuals = bench.to_records(fw, data, 6)
    per_record = bench.per_record_result(
        fw, data, bench.score_per_record(bench.per_record_rules(fw), rows, actuals)
    )
    minimal = bench.score_numpy(fw, data)
    bench.compare("(b) vs (c)", fw, minimal, per_record)
    # rows 1-3 reach every target (50 points); panels of all 5s / all 1s give 50 / 10
    assert per_record.rounded[1] == 100.0 and minimal.rounded[1] == 100.0
    assert per_record.rounded[2] == 60.0 and minimal.rounded[2] == 60.0
    assert not minimal.excluded[1] and minimal.excluded[2]


def test_disagreement_fails_loudly():
    fw = bench.make_framework()
    data = bench.generate(fw, 10)
    good = bench.score_numpy(fw, data)
    bad = bench.Result(good.total.copy(), good.rounded, good.grade, ~good.excluded)
    with pytest.raises(AssertionError, match="DISAGREEMENT"):
        bench.compare("x", fw, good, bad)


@pytest.mark.skipif(not engine_available(), reason="seonggwa.engine batch API not available")
@pytest.mark.parametrize("scale", [None, TABLE_SCALE], ids=["ratio-scale", "table-scale"])
def test_engine_agrees_with_references(scale):
    fw = bench.make_framework(scale=scale)
    out = bench.run(scale=TINY, repeat=1, slice_subjects=60, memory=False, fw=fw)
    pairs = {a["pair"] for a in out["agreement"]}
    assert any(p.startswith("(a) engine vs (c) minimal") for p in pairs)
    assert any(p.startswith("(a) engine vs (c) required outputs") for p in pairs)
    assert any(p.startswith("(a) engine vs (c+) per-indicator") for p in pairs)
    assert any(p.startswith("(a) engine vs (b)") for p in pairs)
    assert any(p.startswith("(a-float)") for p in pairs)
    assert any(p.startswith("(c0) bare totals") for p in pairs)
    assert all(a.get("max_abs_total_diff", 0.0) <= 1e-9 for a in out["agreement"])
    # the ratio of the aim is taken against (c), which computes the required outputs
    assert "per-indicator points and panel sd" in out["c_minimal_numpy"]["definition"]
    assert out["c_bare_totals"]["seconds"] > 0


@pytest.mark.skipif(not engine_available(), reason="seonggwa.engine batch API not available")
@pytest.mark.parametrize("scale", [None, TABLE_SCALE], ids=["ratio-scale", "table-scale"])
def test_a_b_c_agree_on_edge_rows(scale):
    """(a) on both input forms, (b), (c) and (c0) on rows built to stress the maths:
    unanimous panels (sd exactly 0), extreme panels, zero actual on lower-is-better,
    actuals far beyond target."""
    fw = bench.make_framework(scale=scale)
    data = bench.generate(fw, 40, seed=11)
    lower = np.flatnonzero(fw.lower_is_better)[0]
    data.actual[0, lower] = 0.0
    data.ratings[1] = 5
    data.ratings[2] = 1
    data.ratings[3, :, :] = np.array([1, 5, 1, 5, 1, 5, 3], dtype=np.uint8)
    data.actual[1:6] = data.target[1:6] * np.where(fw.lower_is_better, 0.01, 100.0)
    rows, actuals = bench.to_records(fw, data, 40)
    b = bench.per_record_result(
        fw, data, bench.score_per_record(bench.per_record_rules(fw), rows, actuals)
    )
    c = bench.score_numpy_required(fw, data)
    handle = bench.prepare_engine(fw)
    a = bench.score_engine(handle, bench.engine_batch(handle, data))
    a_float = bench.score_engine(handle, bench.engine_batch_float(handle, data))
    r = len(fw.rating_codes)
    bench.compare("(b) vs (c)", fw, c, b)
    bench.compare("(c0) vs (c)", fw, c, bench.score_numpy(fw, data))
    bench.compare("(a) vs (c)", fw, c, a)
    bench.compare("(a) vs (b)", fw, b, a)
    bench.compare_required("(a) vs (c) required", c, a, r)
    bench.compare_identical("(a-float) vs (a)", a, a_float)
    assert np.all(a.extra["indicator_sd"][1:3, :r] == 0.0)
    assert np.all(c.extra["rating_sd"][1:3] == 0.0)
    assert a.rounded[1] == 100.0  # every rating 5 and every target reached


@pytest.mark.skipif(not engine_available(), reason="seonggwa.engine batch API not available")
def test_lazy_engine_outputs_equal_c_plus_and_the_read_all_call():
    """(a) times score_batch alone; its lazy extras (counts, achievement, classification,
    ranks) are read afterwards by the checks. Read then, they must equal (c+)'s eagerly
    computed ones and those of (a+), which reads every lazy output inside the call; a
    second read returns the cached object."""
    fw = bench.make_framework()
    data = bench.generate(fw, 120, seed=5)
    handle = bench.prepare_engine(fw)
    batch = bench.engine_batch(handle, data)
    a = bench.score_engine(handle, batch)
    engine_result = a.extra._result
    assert not set(bench.ENGINE_LAZY) & set(vars(engine_result))  # nothing computed yet
    a_plus = bench.score_engine(handle, batch, read_all=True)
    assert set(bench.ENGINE_LAZY) <= set(vars(a_plus.extra._result))
    r = len(fw.rating_codes)
    bench.compare_extras("(a) vs (c+)", bench.score_numpy_all_outputs(fw, data), a, r)
    bench.compare_identical("(a+) vs (a)", a, a_plus)
    for name in bench.ENGINE_LAZY:
        assert getattr(engine_result, name) is getattr(engine_result, name)


def test_required_outputs_disagreement_fails_loudly():
    fw = bench.make_framework()
    data = bench.generate(fw, 10)
    c = bench.score_numpy_required(fw, data)
    handle = bench.prepare_engine(fw)
    a = bench.score_engine(handle, bench.engine_batch(handle, data))
    a.extra["indicator_sd"][3, 2] += 1e-6
    with pytest.raises(AssertionError, match="DISAGREEMENT.*indicator_sd"):
        bench.compare_required("x", c, a, len(fw.rating_codes))


def test_cli_json(capsys):
    code = bench.main(["--scale", str(TINY), "--repeat", "1", "--no-memory", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["workload"]["ratings"] == out["workload"]["subjects"] * 25 * 7
    assert out["workload"]["actuals"] == out["workload"]["subjects"] * 25
    assert {row["status"] for row in out["aims"]} <= {"PASS", "MISS", "PENDING"}


@pytest.mark.skipif(not engine_available(), reason="seonggwa.engine batch API not available")
def test_memory_probe_runs_in_a_fresh_interpreter():
    rss = bench.memory_subprocess(TINY, bench.SEED)
    assert rss["process_peak_bytes"] >= rss["rss_before_call_bytes"] > 0
