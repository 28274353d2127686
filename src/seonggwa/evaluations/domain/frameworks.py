"""Framework versions: import (validated, immutable), look up, and pin to rounds.

The engine validates every document (:func:`seonggwa.engine.framework_from_dict`); the
stored document is the resolved, self-contained one, and its checksum is the engine's
fingerprint, so a stored result can always be recomputed under exactly its rules.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction
from django.utils.translation import gettext as _

from seonggwa import engine
from seonggwa.core.audit import record
from seonggwa.core.process import process_problems
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.models import FrameworkVersion, Rating, Result, Round

# The preset results that arrive as published totals are stored under (SPEC §3: the
# 2018–2020 tables publish each service's total only).
OUTSOURCING_TOTALS_PRESET = "seoul-outsourcing-published-total"
OUTSOURCING_PRESET = "seoul-outsourcing"


def framework_for(round_: Round) -> engine.Framework:
    """The framework a round is evaluated under (its pinned version's document).

    Refused with the round named when no version is pinned yet, so no caller scores or
    labels a round against a guessed framework."""
    if round_.framework_version_id is None:
        raise WorkflowError(_("%(round)s에 평가틀 버전이 지정되지 않았습니다.") % {"round": round_})
    return round_.framework_version.framework


def frameworks_by_id(version_ids) -> dict[int, engine.Framework]:
    """Frameworks of several stored versions; documents are read only for checksums not
    parsed yet (pages label thousands of results with one small query)."""
    ids = {i for i in version_ids if i is not None}
    checksums = dict(FrameworkVersion.objects.filter(pk__in=ids).values_list("pk", "checksum"))
    missing = {pk for pk, c in checksums.items() if not FrameworkVersion.is_parsed(c)}
    for version in FrameworkVersion.objects.filter(pk__in=missing):
        version.framework  # noqa: B018 - parses and caches
    return {pk: FrameworkVersion.parsed(c) for pk, c in checksums.items()}


def _jsonable_document(framework: engine.Framework) -> dict:
    """The resolved document as JSON (dates as ISO text, as YAML wrote them)."""
    import json

    return json.loads(json.dumps(framework.document, default=str, ensure_ascii=False))


def _refuse_bad_process(framework: engine.Framework) -> None:
    """The process sections (deadlines, panel, integrity, appeal) are checked by the apps
    that run them; a wrong one is refused like a wrong scoring rule."""
    problems = process_problems(framework.process)
    if problems:
        raise WorkflowError(_("평가틀 문서가 올바르지 않습니다: %(error)s") % {
            "error": "; ".join(f"{path}: {message}" for path, message in problems)})


@transaction.atomic
def import_framework_version(document, *, source: str = "", actor=None,
                             actor_label: str = "") -> FrameworkVersion:
    """Validate ``document`` (a dict or an engine ``Framework``) and store it as an
    immutable version.

    The same document imported twice returns the stored row. A different document under
    an id and version that already exist is refused: a changed framework is a new
    version. Raises :class:`WorkflowError` naming the field for invalid documents.
    """
    if isinstance(document, engine.Framework):
        framework = document
    else:
        try:
            framework = engine.framework_from_dict(document, source=source or "<upload>")
        except engine.FrameworkError as exc:
            raise WorkflowError(_("평가틀 문서가 올바르지 않습니다: %(error)s")
                                % {"error": exc}) from None
    _refuse_bad_process(framework)
    stored_doc = _jsonable_document(framework)
    # Re-validate what will be stored so a version that cannot be read back never lands.
    checksum = engine.framework_from_dict(stored_doc, source=source).fingerprint
    existing = FrameworkVersion.objects.filter(framework_id=framework.id,
                                               version=framework.version).first()
    if existing is not None:
        if existing.checksum == checksum:
            return existing
        raise WorkflowError(
            _("평가틀 %(id)s 버전 %(version)s은(는) 이미 다른 내용으로 등록되어 있습니다. "
              "바뀐 평가틀은 새 버전 번호로 등록하십시오.")
            % {"id": framework.id, "version": framework.version})
    same = FrameworkVersion.objects.filter(checksum=checksum).first()
    if same is not None:
        return same
    version = FrameworkVersion.objects.create(
        framework_id=framework.id, version=framework.version, title=framework.title[:300],
        title_en=(framework.title_en or "")[:300], checksum=checksum, document=stored_doc,
        source=(source or framework.source)[:300],
    )
    record("framework.import", version, after={"framework_id": version.framework_id,
                                               "version": version.version,
                                               "checksum": checksum},
           actor=actor, actor_label=actor_label)
    return version


@lru_cache(maxsize=32)
def bundled_preset(name: str) -> engine.Framework:
    """A bundled preset, read once per process (the files ship with the code)."""
    return engine.load_preset(name)


def preset_version(name: str, *, actor=None, actor_label: str = "") -> FrameworkVersion:
    """The stored version of a bundled preset, imported on first use."""
    return import_framework_version(bundled_preset(name), source=f"preset {name}",
                                    actor=actor, actor_label=actor_label or "preset")


def get_version(framework_id: str, version: str) -> FrameworkVersion:
    found = FrameworkVersion.objects.filter(framework_id=framework_id, version=version).first()
    if found is None:
        raise WorkflowError(_("등록되지 않은 평가틀 버전입니다: %(id)s@%(version)s")
                            % {"id": framework_id, "version": version})
    return found


def round_has_scores(round_: Round) -> bool:
    return (Result.objects.filter(round=round_).exists()
            or Rating.objects.filter(round=round_).exists())


@transaction.atomic
def set_round_framework(round_: Round, version: FrameworkVersion, *, actor=None,
                        actor_label: str = "") -> Round:
    """Pin the framework version a round is scored under. Refused once any score exists
    under the round: a new version is a new round (or a correction of the old one)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.framework_version_id == version.pk:
        return round_
    if round_.framework_version_id is not None and round_has_scores(round_):
        raise WorkflowError(
            _("%(round)s에는 이미 점수가 있어 평가틀 버전(%(old)s)을 바꿀 수 없습니다.")
            % {"round": round_, "old": round_.framework_version})
    before = {"framework_version": str(round_.framework_version or "")}
    round_.framework_version = version
    round_.save(update_fields=["framework_version"])
    record("round.framework", round_, before=before,
           after={"framework_version": str(version)}, actor=actor, actor_label=actor_label)
    return round_
