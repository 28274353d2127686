"""The CLI and the app score the same inputs the same way, for every bundled preset.

Both paths end in ``engine.score_batch``, but they get there differently: the CLI parses a
long-format CSV (text → float), the app stores ratings, measurements and not-applicable
marks as database rows (text → Decimal → column → float) and decides on the round's start
date. This property test feeds the same generated inputs to both and requires the same
rounded totals (as text with the framework's decimals), band codes and decision codes,
subject by subject.

Groups: ``national-joint-evaluation-2020`` declares subject groups (시부/도부), but the
app does not store a subject's group yet. Neither path is given a group here, so
``fmd-vaccination`` (도부-only) applies to every subject on both sides; group-dependent
outputs (partial indicators by group, rank within a group) are not compared.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import tempfile
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seonggwa import cli, engine
from seonggwa.evaluations.domain import frameworks, inputs, subjects, workflow
from seonggwa.evaluations.models import Result, Scheme, SubjectKind
from seonggwa.registry.models import Organisation, OrganisationKind

PRESETS = engine.list_presets()

SCHEME_OF = {"A": Scheme.OUTSOURCING, "B": Scheme.CIVIC_PLATFORM, "C": Scheme.BSC,
             "D": Scheme.SUSTAINABILITY, "E": Scheme.JOINT}

HEADER = ["subject", "indicator", "evaluator", "value", "actual", "target", "target_high",
          "not_applicable"]

# Evaluation dates either side of the outsourcing policy change (60 → 75 on 2022-01-01).
DATES = [dt.date(2019, 3, 1), dt.date(2021, 12, 31), dt.date(2022, 1, 1),
         dt.date(2024, 6, 30)]

_numbers = itertools.count(1)  # round numbers and names unique within a test's database


def framework_of(preset: str) -> engine.Framework:
    return frameworks.bundled_preset(preset)


# --------------------------------------------------------------------------- inputs


def plain(value: Decimal) -> str:
    return format(value, "f")


def _decimal(draw, low: Decimal, high: Decimal, places: int) -> Decimal:
    unit = Decimal(1).scaleb(-places)
    lo = int((low / unit).to_integral_value(ROUND_CEILING))
    hi = int((high / unit).to_integral_value(ROUND_FLOOR))
    return draw(st.integers(lo, hi)) * unit


def panel_values(draw, framework: engine.Framework, ind: engine.Indicator) -> list[Decimal]:
    """Enough ratings on the indicator's scale for its minimum panel (and a few more)."""
    scale = ind.scale
    needed = max(ind.min_panel or framework.min_panel, 1)
    count = draw(st.integers(needed, needed + 2))
    low, high = Decimal(str(scale.min)), Decimal(str(scale.max))
    values = []
    for _ in range(count):
        if scale.step is not None:
            step = Decimal(str(scale.step))
            values.append(low + step * draw(st.integers(0, int((high - low) / step))))
        else:
            # Up to 3 decimals: totals land on half-way points (x.xx5) and must round the
            # same way on both paths; the app stores ratings with 4 decimals.
            values.append(_decimal(draw, low, high, draw(st.sampled_from([0, 2, 3]))))
    return values


def quantitative_row(draw, ind: engine.Indicator) -> tuple[Decimal, Decimal | None]:
    """(actual, per-subject target or None for the framework's target)."""
    if ind.target is None or draw(st.booleans()):
        target = _decimal(draw, Decimal("0.5"), Decimal("20000"), draw(st.sampled_from([0, 1, 2])))
    else:
        target = None
    reference = target if target is not None else Decimal(str(ind.target))
    actual = _decimal(draw, Decimal(0), reference * 2, draw(st.sampled_from([0, 1, 2, 3])))
    return actual, target


@st.composite
def evaluations(draw, preset: str):
    """Inputs for a few subjects: per subject, per indicator, one of
    ``("panel", [values])``, ``("quant", actual, target)``, ``("na",)`` or ``("missing",)``."""
    framework = framework_of(preset)
    on = draw(st.sampled_from(DATES))
    n = draw(st.integers(1, 3))
    rows = []
    for _ in range(n):
        cells = {}
        for ind in framework.indicators:
            choice = draw(st.sampled_from(["data", "data", "data", "na", "missing"]))
            if choice == "missing" and framework.missing != "exclude":
                choice = "data"  # missing data is an error there, on both paths
            if choice == "data" and ind.uses_panel:
                cells[ind.code] = ("panel", panel_values(draw, framework, ind))
            elif choice == "data":
                cells[ind.code] = ("quant", *quantitative_row(draw, ind))
            else:
                cells[ind.code] = (choice,)
        if all(c[0] != "panel" and c[0] != "quant" for c in cells.values()):
            # Something must count, or there is no total to compare (see the report).
            first = framework.indicators[0]
            cells[first.code] = (("panel", panel_values(draw, framework, first))
                                 if first.uses_panel else ("quant", *quantitative_row(draw, first)))
        rows.append(cells)
    return on, rows


# --------------------------------------------------------------------------- the two paths


def long_format(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for s, cells in enumerate(rows, start=1):
        subject = f"S{s}"
        for code, cell in cells.items():
            if cell[0] == "panel":
                for k, value in enumerate(cell[1], start=1):
                    writer.writerow([subject, code, f"E{k}", plain(value), "", "", "", ""])
            elif cell[0] == "quant":
                _, actual, target = cell
                writer.writerow([subject, code, "", "", plain(actual),
                                 "" if target is None else plain(target), "", ""])
            elif cell[0] == "na":
                writer.writerow([subject, code, "", "", "", "", "", "1"])
    return buffer.getvalue()


def via_cli(preset: str, on: dt.date, rows: list[dict]) -> list[dict]:
    """Score through ``seonggwa score``: per subject its total text, band and decision code."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "scores.csv"
        source.write_text(long_format(rows), encoding="utf-8")
        for suffix in ("csv", "json"):
            code = cli.main(["score", "--framework", preset, "--input", str(source),
                             "--output", str(folder / f"out.{suffix}"), "--on-date",
                             on.isoformat(), "--quiet"])
            assert code == 0, long_format(rows)
        with (folder / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
            table = list(csv.DictReader(stream))
        payload = json.loads((folder / "out.json").read_text(encoding="utf-8"))
    assert [r["subject"] for r in table] == [f"S{i}" for i in range(1, len(rows) + 1)]
    assert [r["subject_id"] for r in payload["results"]] == [r["subject"] for r in table]
    return [{"total": row["total"], "band": sub["band"] or "",
             "decision": row["decision"], "policy": row["policy"]}
            for row, sub in zip(table, payload["results"], strict=True)]


def open_round(preset: str, on: dt.date):
    framework = framework_of(preset)
    number = next(_numbers)
    return workflow.open_round(on.year, number, scheme=SCHEME_OF[framework.scheme],
                               framework_version=frameworks.preset_version(preset),
                               title=f"{preset} {number}", start=on)


def app_subjects(count: int):
    number = next(_numbers)
    orgs = [Organisation.objects.create(kind=OrganisationKind.CONTRACTOR,
                                        name=f"기관 {number}-{i}") for i in range(count)]
    by_pk = subjects.subjects_for(SubjectKind.ORGANISATION, orgs)
    return [by_pk[o.pk] for o in orgs]


def via_app(preset: str, on: dt.date, rows: list[dict]) -> list[dict]:
    """Store the same inputs in a round starting on ``on`` and rescore it."""
    framework = framework_of(preset)
    round_ = open_round(preset, on)
    subs = app_subjects(len(rows))
    ratings, measurements = [], []
    for subject, cells in zip(subs, rows, strict=True):
        for code, cell in cells.items():
            if cell[0] == "panel":
                ratings += [inputs.RatingEntry(subject, code, value, f"E{k}")
                            for k, value in enumerate(cell[1], start=1)]
            elif cell[0] == "quant":
                measurements.append(inputs.MeasurementEntry(subject, code, actual=cell[1],
                                                            target=cell[2]))
            elif cell[0] == "na":
                inputs.mark_not_applicable(round_, subject, code, "해당 없음 (시험)")
    if ratings:
        inputs.record_ratings(round_, ratings)
    if measurements:
        inputs.record_measurements(round_, measurements)
    results = workflow.rescore(round_, subs)
    assert [r.subject_id for r in results] == [s.pk for s in subs]
    stored = Result.objects.in_bulk([r.pk for r in results])
    d = framework.decimals
    out = []
    for res in results:
        again = stored[res.pk]
        # What the caller got and what the database kept are the same outcome.
        assert (again.score, again.band_code, again.decision_code, again.policy_id) == (
            res.score, res.band_code, res.decision_code, res.policy_id)
        assert again.framework_version_id == round_.framework_version_id
        out.append({"total": f"{again.score:.{d}f}", "band": again.band_code,
                    "decision": again.decision_code, "policy": again.policy_id})
    return out


def assert_agree(preset: str, on: dt.date, rows: list[dict]) -> list[dict]:
    from_cli = via_cli(preset, on, rows)
    from_app = via_app(preset, on, rows)
    assert from_app == from_cli, long_format(rows)
    return from_cli


# --------------------------------------------------------------------------- tests


@pytest.mark.django_db
@pytest.mark.parametrize("preset", PRESETS)
def test_cli_and_app_agree_on_generated_inputs(preset):
    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(evaluations(preset))
    def check(case):
        on, rows = case
        assert_agree(preset, on, rows)

    check()


TOTALS = "seoul-outsourcing-published-total"


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "on", "expected"), [
    ("74.995", dt.date(2022, 1, 1), ("75.00", "eligible", "recontract-75")),
    ("74.995", dt.date(2024, 3, 1), ("75.00", "eligible", "recontract-75")),
    ("74.994", dt.date(2022, 1, 1), ("74.99", "exclude", "recontract-75")),
    ("59.995", dt.date(2020, 1, 1), ("60.00", "eligible", "recontract-60")),
    ("59.994", dt.date(2020, 1, 1), ("59.99", "exclude", "recontract-60")),
    ("74.995", dt.date(2021, 12, 31), ("75.00", "eligible", "recontract-60")),
])
def test_totals_rounding_onto_a_threshold_agree(total, on, expected):
    rows = [{"T": ("panel", [Decimal(total)])}]
    (outcome,) = assert_agree(TOTALS, on, rows)
    assert (outcome["total"], outcome["decision"], outcome["policy"]) == expected


@pytest.mark.django_db
def test_area_scores_summing_onto_the_threshold_agree():
    # 22.495 + 37.5 + 75.0 % of 20 = 74.995 → 75.00, kept under the 75-point rule.
    rows = [{"C": ("panel", [Decimal("22.495")]), "I": ("panel", [Decimal("37.5")]),
             "S": ("panel", [Decimal("75")])}]
    (outcome,) = assert_agree("seoul-outsourcing", dt.date(2023, 5, 1), rows)
    assert (outcome["total"], outcome["decision"]) == ("75.00", "eligible")


@pytest.mark.django_db
def test_civic_platform_band_edges_agree():
    # Q 60.5 + two goals at a mean of 4 (40 each) = 140.50 → 양호 (good); Q 0.5 + goals at
    # a mean of 4 = 80.50 → 미흡 (poor), 지원 중단.
    panel = [Decimal(v) for v in ("4", "4", "4", "4", "4")]
    rows = [{"Q": ("panel", [Decimal("60.5")]), "G1": ("panel", panel),
             "G2": ("panel", panel)},
            {"Q": ("panel", [Decimal("0.5")]), "G1": ("panel", panel),
             "G2": ("panel", panel)}]
    good, poor = assert_agree("seoul-civic-platform-2018", dt.date(2018, 6, 1), rows)
    assert (good["total"], good["band"], good["decision"]) == ("140.50", "good", "")
    assert (poor["total"], poor["band"], poor["decision"]) == ("80.50", "poor", "discontinue")
