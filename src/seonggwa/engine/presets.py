"""Bundled framework presets (YAML files in the ``seonggwa.presets`` package).

``list_presets()`` names them (file stem, e.g. ``seoul-outsourcing``);
``load_preset(name)`` validates and returns the :class:`Framework`.
``resolve_framework(spec)`` accepts a preset name *or* a path to a YAML file — what the
CLI's ``--framework`` takes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import FrameworkError
from .framework import Framework, framework_from_dict, load_framework

__all__ = ["list_presets", "load_preset", "preset_path", "resolve_framework"]

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
    """Load and validate a bundled preset by name."""
    import yaml

    files = _preset_files()
    if name not in files:
        preset_path(name)  # raises with the list of known presets
    entry = files[name]
    source = f"preset {name} ({entry.name})"
    try:
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError("<document>", f"not valid YAML: {exc}", source) from None
    return framework_from_dict(data, source=source)


def resolve_framework(spec: str) -> Framework:
    """A preset name, or a path to a framework YAML file."""
    path = Path(spec)
    if spec.endswith((".yaml", ".yml")) or path.exists():
        return load_framework(path)
    return load_preset(spec)
