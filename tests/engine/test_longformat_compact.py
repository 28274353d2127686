"""The long-format reader builds the engine's compact form (panel indicators only, uint8
when the ratings are whole numbers, quantitative-only actuals and targets): scoring it
must give exactly what scoring the same rows in the general ``values`` form gives."""

from __future__ import annotations

import numpy as np
import pytest

from seonggwa.engine import BatchInput, batch_from_rows, load_preset, score_batch

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
