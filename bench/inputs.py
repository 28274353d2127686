"""The engine on the input forms users' data arrive in (issue #8, goal 4).

On bench/engine.py's national workload (50,000 subjects, 25 rating indicators × 7 panel
members, 25 quantitative indicators), ``score_batch`` is timed on

- **compact**: ``ratings`` uint8 ``(n, 25, 7)`` + ``(n, 25)`` actuals/targets — the
  reference (bench/engine.py's (a));
- **long-format (float values)**: what ``engine.longformat.batch_from_rows`` (the CLI's
  reader and every import) builds: ``values`` float64 ``(n, 50, 7)`` with NaN in the
  quantitative columns and ``(n, 50)`` actuals/targets with NaN in the rating columns;
- **database rows (float ratings)**: what ``evaluations.domain.scoring.build_batch``
  builds from stored ratings: ``ratings`` float64 ``(n, 25, 7)`` with NaN for no rating.

Each must be within 2× of compact (timed in turns, best of ``--repeat``). Building the
arrays is not timed here; reading the rows themselves (Python per row) is measured on a
slice by :func:`reader_seconds` and scaled, for information.
"""

from __future__ import annotations

import gc
import time

import numpy as np

from bench import engine as eb

GOAL = 2.0


def float_ratings(data: eb.Data) -> np.ndarray:
    """The (n, 25, 7) float64 ratings with NaN for no rating, as build_batch makes them."""
    return data.ratings.astype(np.float64)


def run(scale: float, repeat: int, log) -> dict:
    fw = eb.make_framework()
    n = eb.n_subjects_for(scale)
    data = eb.generate(fw, n)
    handle = eb.prepare_engine(fw)
    engine = handle.engine
    forms = {
        "compact (uint8 ratings)": eb.engine_batch(handle, data),
        "long-format (float values)": eb.engine_batch_float(handle, data),
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
    out = {"subjects": n, "scale": scale, "forms": {}}
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
            f"{'PASS' if ok else 'MISS'} (≤ {GOAL}× compact)")
        if not form["agrees"]:
            verdict += " DISAGREES with compact"
        print(f"  {name:<32}{1000 * form['seconds']:>9.1f} ms {form['ratio']:>6.2f}×  "
              f"{verdict}")
        if verdict.startswith("MISS") or not form["agrees"]:
            misses.append(name)
    if out["scale"] != 1.0:
        print("  (scaled run: the goal is judged at scale 1.0)")
    return misses
