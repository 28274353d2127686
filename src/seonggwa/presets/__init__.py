"""Framework presets as YAML data, one file per scheme-year (validated on load).

Use :func:`seonggwa.engine.list_presets` and :func:`seonggwa.engine.load_preset`.
"""

from seonggwa.engine.presets import list_presets, load_preset

__all__ = ["list_presets", "load_preset"]
