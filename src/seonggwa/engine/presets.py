"""Bundled framework presets (YAML files in the ``seonggwa.presets`` package).

``list_presets()`` names them (file stem, e.g. ``seoul-outsourcing``);
``load_preset(name)`` validates and returns the :class:`Framework`.
``resolve_framework(spec)`` accepts a preset name *or* a path to a YAML file — what the
CLI's ``--framework`` takes.

A preset may be built on another: ``base: <preset-name>``. Its top-level keys replace
the base document's keys (a shallow merge; ``base`` itself is dropped) and the resolved
document is validated like any other. ``Framework.document`` is that resolved,
self-contained document, so a stored copy re-validates without the preset files. Bases
may chain; a cycle or an unknown base is a :class:`FrameworkError` naming ``base``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from .errors import FrameworkError
from .framework import Framework
from .parse_framework import framework_from_dict, load_framework

__all__ = ["list_presets", "load_preset", "preset_path", "resolve_framework",
           "resolve_preset_document"]

_PACKAGE = "seonggwa.presets"


def _preset_files() -> dict[str, resources.abc.Traversable]:
    root = resources.files(_PACKAGE)
    return {entry.name.rsplit(".", 1)[0]: entry for entry in root.iterdir()
            if entry.name.endswith((".yaml", ".yml"))}


def list_presets() -> list[str]:
    """Names of the bundled presets, sorted."""
    return sorted(_preset_files())


def preset_path(name: str) -> str:
    files = _preset_files()
    if name not in files:
        known = ", ".join(sorted(files))
        raise FrameworkError("preset", f"unknown preset {name!r} (presets: {known}; or give "
                                       "the path of a .yaml framework file)", "--framework")
    return str(files[name])


def load_preset(name: str) -> Framework:
    """Load and validate a bundled preset by name (its ``base`` chain resolved)."""
    files = _preset_files()
    if name not in files:
        preset_path(name)  # raises with the list of known presets
    source = f"preset {name} ({files[name].name})"
    data = resolve_preset_document(name)
    return framework_from_dict(data, source=source)


def resolve_preset_document(name: str) -> Any:
    """The preset's document with its ``base`` chain merged in (shallow, top-level keys)."""
    return _resolved(name, ())


def _read_preset(name: str) -> Any:
    import yaml

    entry = _preset_files()[name]
    try:
        return yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError("<document>", f"not valid YAML: {exc}",
                             f"preset {name} ({entry.name})") from None


def _resolved(name: str, chain: tuple[str, ...]) -> Any:
    data = _read_preset(name)
    if not isinstance(data, dict) or "base" not in data:
        return data
    source = f"preset {name} ({_preset_files()[name].name})"
    base = data["base"]
    files = _preset_files()
    if not isinstance(base, str) or not base.strip():
        raise FrameworkError("base", f"expected a preset name, got {base!r}", source)
    base = base.strip()
    if base == name or base in chain:
        path = " -> ".join((*chain, name, base))
        raise FrameworkError("base", f"cycle of base presets ({path})", source)
    if base not in files:
        known = ", ".join(sorted(files))
        raise FrameworkError("base", f"unknown base preset {base!r} (presets: {known})", source)
    base_document = _resolved(base, (*chain, name))
    if not isinstance(base_document, dict):
        raise FrameworkError("base", f"base preset {base!r} is not a framework document", source)
    resolved = dict(base_document)
    resolved.update({key: value for key, value in data.items() if key != "base"})
    return resolved


def resolve_framework(spec: str) -> Framework:
    """A preset name, or a path to a framework YAML file."""
    path = Path(spec)
    if spec.endswith((".yaml", ".yml")) or path.exists():
        return load_framework(path)
    return load_preset(spec)
