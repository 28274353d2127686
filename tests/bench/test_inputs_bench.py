"""The engine input-forms benchmark: the long-format form it times is exactly what the
reader builds from text rows, and every form scores as the compact one."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
inputs = importlib.import_module("bench.inputs")


def test_every_form_agrees_and_the_reader_builds_the_timed_form(capsys):
    out = inputs.run(0.002, 1, lambda message: None)  # 100 subjects
    assert out["reader"]["same"] and out["reader"]["rows"] > 5000
    assert all(form["agrees"] for form in out["forms"].values())
    assert set(out["forms"]) == {"compact (uint8 ratings)", "long-format (reader)",
                                 "general float values", "database rows (float ratings)"}
    misses = inputs.report(out)
    assert "long-format reader" not in misses and "general float values" not in misses
    assert "builds the same arrays: yes" in capsys.readouterr().out
