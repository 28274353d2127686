"""seonggwa scoring engine: frameworks, scales, panel aggregation, bands, decisions.

Pure Python + numpy + PyYAML; never imports Django. Public API:

Frameworks
    load_framework(path) / framework_from_dict(data, source) -> Framework
    list_presets() -> list[str]; load_preset(name) -> Framework
    resolve_framework(name_or_path) -> Framework
Batch scoring (arrays; see seonggwa.engine.batch for shapes)
    BatchInput(subject_ids, values[n,k,p], actuals[n,k], targets[n,k], targets_high[n,k],
               not_applicable[n,k], groups[n], overrides)
    BatchInput(subject_ids, ratings=[n,kp,p] (compact: panel indicators only, e.g. uint8),
               no_rating=0, actuals=[n,kq], targets=[n,kq], ...)   same results, faster
    score_batch(framework, batch, on_date=None, *, check=True) -> BatchResult
    decide_totals(framework, totals, *, on_date=None, policy=None) -> int8 decision indices
Single subject (the batch call with one row)
    score_subject(framework, subject_id, ratings=..., actuals=..., ...) -> SubjectResult
Subjects evaluated on different dates (each under the policy then in force)
    score_by_date(framework, batch, dates, default=None) -> DatedResults
Long-format rows (CSV/XLSX/database rows -> BatchInput)
    batch_from_rows(framework, rows, source=...) -> BatchInput
    dated_batch_from_rows(framework, rows, source=...) -> (BatchInput, dates per subject)
Building blocks
    round_half_up, round_half_up_array, achievement, classify,
    register_aggregation, get_aggregation, aggregation_names
Errors
    FrameworkError(.field, .reason, .source), InputError(.row, .column), ScoringError
"""

from .achievement import DIRECTIONS, achievement, classify
from .aggregation import aggregation_names, get_aggregation, register_aggregation
from .batch import BatchResult, score_batch
from .batch_input import BatchInput, ClassOverride
from .dated import DatedPart, DatedResults, score_by_date, take_rows
from .decisions import decide_totals
from .errors import FrameworkError, InputError, ScoringError, SeonggwaError
from .framework import (
    KINDS,
    Area,
    Band,
    ClassLevel,
    DecisionDef,
    Framework,
    Indicator,
    Policy,
)
from .longformat import COLUMNS, REQUIRED_COLUMNS, batch_from_rows, dated_batch_from_rows
from .parse_framework import framework_from_dict, load_framework
from .presets import list_presets, load_preset, resolve_framework
from .results import STATUS_LABELS, AreaResult, IndicatorResult, SubjectResult
from .rounding import format_fixed, round_half_up, round_half_up_array
from .scales import Scale
from .subject import score_subject

__all__ = [
    "COLUMNS",
    "DIRECTIONS",
    "KINDS",
    "REQUIRED_COLUMNS",
    "STATUS_LABELS",
    "Area",
    "AreaResult",
    "Band",
    "BatchInput",
    "BatchResult",
    "ClassLevel",
    "ClassOverride",
    "DatedPart",
    "DatedResults",
    "DecisionDef",
    "Framework",
    "FrameworkError",
    "Indicator",
    "IndicatorResult",
    "InputError",
    "Policy",
    "Scale",
    "ScoringError",
    "SeonggwaError",
    "SubjectResult",
    "achievement",
    "aggregation_names",
    "batch_from_rows",
    "classify",
    "dated_batch_from_rows",
    "decide_totals",
    "format_fixed",
    "framework_from_dict",
    "get_aggregation",
    "list_presets",
    "load_framework",
    "load_preset",
    "register_aggregation",
    "resolve_framework",
    "round_half_up",
    "round_half_up_array",
    "score_batch",
    "score_by_date",
    "score_subject",
    "take_rows",
]
