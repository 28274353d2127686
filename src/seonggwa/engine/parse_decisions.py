"""Parsing what decides a result: grade bands, threshold policies, the decision vocabulary.

Bands are half-open ``[lower, upper)`` (the top one closed at the maximum) and must cover
the score range with no gap and no overlap; policies carry inclusive effective dates that
must not overlap, and a threshold needs the decision for scores below it. The
``decisions:`` vocabulary gives each decision a code and labels, and every band or policy
decision must name a declared code; documents without the section use the legacy rule
(:func:`~seonggwa.engine.framework.legacy_decisions`).
"""

from __future__ import annotations

from typing import Any

from .errors import FrameworkError
from .framework import Band, DecisionDef, Policy, legacy_decisions
from .parse_fields import Doc, as_date, is_close, read_code, typename

__all__ = ["MAX_DECISIONS", "parse_bands", "parse_decisions", "parse_policies"]

MAX_DECISIONS = 127  # BatchResult.decision is int8, 0 = no decision


def parse_bands(doc: Doc, score_range: tuple[float, float]) -> tuple[Band, ...]:
    bands = []
    for i, item in enumerate(doc.items("bands", required=False)):
        band = Doc(item, f"bands[{i}]", ("code", "label", "label_en", "lower", "upper",
                                         "decision", "note"))
        lower = band.number("lower")
        upper = band.number("upper")
        assert lower is not None and upper is not None
        if not lower < upper:
            raise FrameworkError(band.at("upper"), f"upper ({upper:g}) must exceed lower "
                                                   f"({lower:g}); bands are [lower, upper)")
        bands.append((i, Band(read_code(band), str(band.text("label")), lower, upper,
                              band.text("decision", required=False),
                              band.text("label_en", required=False))))
    if not bands:
        return ()
    _check_band_codes(bands)
    ordered = sorted(bands, key=lambda pair: pair[1].lower)
    _check_band_cover(ordered, score_range)
    return tuple(band for _, band in ordered)


def _check_band_codes(bands: list[tuple[int, Band]]) -> None:
    seen: dict[str, int] = {}
    for i, band in bands:
        if band.code in seen:
            raise FrameworkError(f"bands[{i}].code", f"duplicate band code {band.code!r}")
        seen[band.code] = i


def _check_band_cover(ordered: list[tuple[int, Band]], score_range: tuple[float, float]) -> None:
    low, high = score_range
    first_index, first = ordered[0]
    if not is_close(first.lower, low):
        raise FrameworkError(f"bands[{first_index}].lower",
                             f"the lowest band starts at {first.lower:g} but scores start at "
                             f"{low:g} (gap)")
    for (_, previous), (index, band) in zip(ordered, ordered[1:], strict=False):
        if band.lower < previous.upper and not is_close(band.lower, previous.upper):
            raise FrameworkError(f"bands[{index}].lower",
                                 f"band {band.code!r} [{band.lower:g}, {band.upper:g}) overlaps "
                                 f"band {previous.code!r} [{previous.lower:g}, {previous.upper:g})")
        if band.lower > previous.upper and not is_close(band.lower, previous.upper):
            raise FrameworkError(f"bands[{index}].lower",
                                 f"gap between {previous.upper:g} and {band.lower:g} "
                                 f"(bands {previous.code!r} and {band.code!r})")
    last_index, last = ordered[-1]
    if not is_close(last.upper, high):
        raise FrameworkError(f"bands[{last_index}].upper",
                             f"the top band ends at {last.upper:g} but scores reach {high:g}")


def parse_policies(doc: Doc, score_range: tuple[float, float]) -> tuple[Policy, ...]:
    policies: list[tuple[int, Policy]] = []
    for i, item in enumerate(doc.items("policies", required=False)):
        spec = Doc(item, f"policies[{i}]", ("id", "effective_from", "effective_to",
                                            "threshold", "below", "otherwise", "note"))
        policies.append((i, _parse_policy(spec, score_range)))
    seen: set[str] = set()
    for i, policy in policies:
        if policy.id in seen:
            raise FrameworkError(f"policies[{i}].id", f"duplicate policy id {policy.id!r}")
        seen.add(policy.id)
    ordered = sorted(policies, key=lambda pair: pair[1].effective_from)
    for (_, previous), (index, policy) in zip(ordered, ordered[1:], strict=False):
        if previous.effective_to is None or policy.effective_from <= previous.effective_to:
            until = previous.effective_to.isoformat() if previous.effective_to else "open-ended"
            raise FrameworkError(f"policies[{index}].effective_from",
                                 f"policy {policy.id!r} from {policy.effective_from} overlaps "
                                 f"policy {previous.id!r} ({previous.effective_from}..{until})")
    return tuple(policy for _, policy in ordered)


def _parse_policy(spec: Doc, score_range: tuple[float, float]) -> Policy:
    start = as_date(spec.raw("effective_from"), spec.at("effective_from")) if spec.has(
        "effective_from") else None
    if start is None:
        raise FrameworkError(spec.at("effective_from"), "required field is missing")
    end = as_date(spec.raw("effective_to"), spec.at("effective_to")) if spec.has(
        "effective_to") else None
    if end is not None and end < start:
        raise FrameworkError(spec.at("effective_to"), f"{end} is before effective_from {start}")
    threshold = spec.number("threshold", required=False)
    below = spec.text("below", required=False)
    if threshold is not None:
        low, high = score_range
        if not low <= threshold <= high:
            raise FrameworkError(spec.at("threshold"),
                                 f"{threshold:g} is outside the score range {low:g}-{high:g}")
        if not below:
            raise FrameworkError(spec.at("below"), "a threshold needs the decision for scores "
                                                   "below it")
    elif below:
        raise FrameworkError(spec.at("threshold"), "'below' needs a threshold")
    return Policy(id=read_code(spec, "id"), effective_from=start, effective_to=end,
                  threshold=threshold, below=below,
                  otherwise=spec.text("otherwise", required=False),
                  note=spec.text("note", required=False))


def parse_decisions(doc: Doc, bands: tuple[Band, ...],
                    policies: tuple[Policy, ...]) -> tuple[DecisionDef, ...]:
    """The declared vocabulary, every band/policy reference checked against it.

    Without a ``decisions:`` section (legacy documents) each distinct text used by a
    band or policy becomes its own code, with itself as the label.
    """
    if "decisions" not in doc.data:
        decisions = legacy_decisions(bands, policies)
    else:
        decisions = _declared_decisions(doc)
        _check_decision_references(doc, decisions)
    if len(decisions) > MAX_DECISIONS:
        raise FrameworkError("decisions", f"at most {MAX_DECISIONS} decisions, got "
                                          f"{len(decisions)}")
    return decisions


def _declared_decisions(doc: Doc) -> tuple[DecisionDef, ...]:
    raw = doc.data.get("decisions")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise FrameworkError("decisions", f"expected a list, got {typename(raw)}")
    decisions: list[DecisionDef] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        spec = Doc(item, f"decisions[{i}]", ("code", "label", "label_en", "note"))
        code = read_code(spec)
        if code in seen:
            raise FrameworkError(spec.at("code"), f"duplicate decision code {code!r} "
                                                  f"(also decisions[{seen[code]}])")
        seen[code] = i
        decisions.append(DecisionDef(code, str(spec.text("label")),
                                     spec.text("label_en", required=False)))
    return tuple(decisions)


def _check_decision_references(doc: Doc, decisions: tuple[DecisionDef, ...]) -> None:
    codes = {d.code for d in decisions}
    declared = ", ".join(d.code for d in decisions) or "none"
    references: list[tuple[str, Any]] = []
    for i, band in enumerate(doc.data.get("bands") or []):
        references.append((f"bands[{i}].decision", band.get("decision")))
    for i, policy in enumerate(doc.data.get("policies") or []):
        for key in ("below", "otherwise"):
            references.append((f"policies[{i}].{key}", policy.get(key)))
    for path, value in references:
        if value is None:
            continue
        code = str(value).strip()
        if code and code not in codes:
            raise FrameworkError(path, f"unknown decision code {code!r} (declared: {declared})")
