"""The engine on the input forms users' data arrive in (issue #8, goal 4).

On bench/engine.py's national workload (50,000 subjects, 25 rating indicators × 7 panel
members, 25 quantitative indicators), ``score_batch`` is timed on

- **compact**: ``ratings`` uint8 ``(n, 25, 7)`` + ``(n, 25)`` actuals/targets — the
  reference (bench/engine.py's (a));
- **long-format (reader)**: what ``engine.longformat.batch_from_rows`` (the CLI's reader
  and every import) builds from one row per subject × indicator × member: the compact
  form directly (``longformat.panel_ratings``: uint8 ratings of the panel indicators,
  quantitative-only actuals/targets). Built here from the workload's cells through the
  reader's own assembly function; :func:`reader_check` reads the text rows of a slice
  through ``batch_from_rows`` and checks it builds the very same arrays;
- **general float values**: ``values`` float64 ``(n, 50, 7)`` with NaN in the
  quantitative columns and ``(n, 50)`` actuals/targets with NaN in the rating columns —
  what the reader built before (for comparison);
- **database rows (float ratings)**: what ``evaluations.domain.scoring.build_batch``
  builds from stored ratings: ``ratings`` float64 ``(n, 25, 7)`` with NaN for no rating.

Each must be within 2× of compact (timed in turns, best of ``--repeat``). Building the
arrays is not timed here; reading the rows themselves (Python per row) is timed on the
slice :func:`reader_check` reads, for information.
"""

from __future__ import annotations

import gc
import time

import numpy as np

from bench import engine as eb

GOAL = 2.0
COMPARISON = "general float values"  # timed and checked, not a goal


def float_ratings(data: eb.Data) -> np.ndarray:
    """The (n, 25, 7) float64 ratings with NaN for no rating, as build_batch makes them."""
    return data.ratings.astype(np.float64)


def reader_batch(handle, data: eb.Data):
    """The batch the long-format reader builds for ``data``: its cells (subject,
    indicator column, slot, value as the reader parses it) through the reader's own
    assembly (``longformat.panel_ratings``); actuals and targets of the quantitative
    indicators only, as the reader keeps them next to compact ratings."""
    from seonggwa.engine import longformat

    n, r, p = data.ratings.shape
    rows, cols, slots = (a.ravel() for a in np.indices((n, r, p)))
    values = data.ratings.ravel().astype(np.float64)  # the reader parses text to float
    ratings, marker = longformat.panel_ratings(handle.framework, n, p, rows, cols, slots,
                                               values)
    return handle.engine.BatchInput(subject_ids=tuple(data.subject_ids), ratings=ratings,
                                    no_rating=marker, actuals=data.actual.copy(),
                                    targets=data.target.copy())


def reader_check(handle, data: eb.Data, subjects: int = 200) -> dict:
    """Read the long-format text rows of the first ``subjects`` subjects through
    ``batch_from_rows`` and check it builds exactly :func:`reader_batch`'s arrays; the
    time per row, for information."""
    from seonggwa.engine import batch_from_rows

    fw = handle.framework
    codes = fw.indicator_codes
    n, r, p = data.ratings[:subjects].shape
    lines = []
    for s in range(n):
        sid = data.subject_ids[s]
        for i in range(r):
            for m in range(p):
                lines.append([sid, codes[i], f"m{m}", str(int(data.ratings[s, i, m])),
                              "", ""])
        for q in range(data.actual.shape[1]):
            lines.append([sid, codes[r + q], "", "", repr(float(data.actual[s, q])),
                          repr(float(data.target[s, q]))])
    header = ["subject", "indicator", "evaluator", "value", "actual", "target"]
    started = time.perf_counter()
    read = batch_from_rows(fw, header, enumerate(lines, start=2))
    seconds = time.perf_counter() - started
    part = eb.Data(data.subject_ids[:n], data.ratings[:n], data.actual[:n], data.target[:n])
    built = reader_batch(handle, part)
    same = (read.ratings.dtype == built.ratings.dtype and read.no_rating == built.no_rating
            and np.array_equal(read.ratings, built.ratings)
            and np.array_equal(read.actuals, built.actuals)
            and np.array_equal(read.targets, built.targets))
    return {"rows": len(lines), "seconds": seconds, "same": bool(same)}


def run(scale: float, repeat: int, log) -> dict:
    fw = eb.make_framework()
    n = eb.n_subjects_for(scale)
    data = eb.generate(fw, n)
    handle = eb.prepare_engine(fw)
    engine = handle.engine
    check = reader_check(handle, data)
    forms = {
        "compact (uint8 ratings)": eb.engine_batch(handle, data),
        "long-format (reader)": reader_batch(handle, data),
        "general float values": eb.engine_batch_float(handle, data),
        "database rows (float ratings)": engine.BatchInput(
            subject_ids=tuple(data.subject_ids), ratings=float_ratings(data),
            actuals=data.actual, targets=data.target),
    }
    log(f"engine input forms: {n:,} subjects, best of {repeat} in turns …")
    runs = {name: [] for name in forms}
    results = {}
    for _ in range(max(3, repeat)):
        for name, batch in forms.items():
            gc.collect()
            t = time.perf_counter()
            results[name] = engine.score_batch(handle.framework, batch, on_date=handle.on_date)
            runs[name].append(time.perf_counter() - t)
    reference = results["compact (uint8 ratings)"]
    out = {"subjects": n, "scale": scale, "forms": {}, "reader": check}
    for name, seconds in runs.items():
        same = (np.array_equal(results[name].total, reference.total)
                and np.array_equal(results[name].decision, reference.decision)
                and np.allclose(results[name].indicator_points, reference.indicator_points,
                                equal_nan=True))
        out["forms"][name] = {"seconds": min(seconds), "runs": seconds, "agrees": bool(same)}
    best = out["forms"]["compact (uint8 ratings)"]["seconds"]
    for form in out["forms"].values():
        form["ratio"] = form["seconds"] / best
    return out


def report(out: dict) -> list[str]:
    print(f"engine input forms, {out['subjects']:,} subjects (scale {out['scale']}):")
    misses = []
    for name, form in out["forms"].items():
        ok = form["ratio"] <= GOAL and form["agrees"]
        verdict = "" if name.startswith("compact") else (
            "(for comparison: what the reader built before)" if name == COMPARISON
            else f"{'PASS' if ok else 'MISS'} (≤ {GOAL}× compact)")
        if not form["agrees"]:
            verdict += " DISAGREES with compact"
        print(f"  {name:<32}{1000 * form['seconds']:>9.1f} ms {form['ratio']:>6.2f}×  "
              f"{verdict}")
        if verdict.startswith("MISS") or not form["agrees"]:
            misses.append(name)
    check = out["reader"]
    print(f"  reader on a slice: {check['rows']:,} rows in {check['seconds']:.2f} s "
          f"({1e6 * check['seconds'] / check['rows']:.1f} µs a row); builds the same "
          f"arrays: {'yes' if check['same'] else 'NO'}")
    if not check["same"]:
        misses.append("long-format reader")
    if out["scale"] != 1.0:
        print("  (scaled run: the goal is judged at scale 1.0)")
    return misses
