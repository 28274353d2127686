"""Reading one mapping of a framework document: typed fields, each error naming its path.

:class:`Doc` wraps a mapping with its path (``areas[1].indicators[3]``) and the fields it
may hold (an unknown key is an error, so a typo never drops a rule); its accessors read
text, numbers, choices, flags and lists, raising :class:`FrameworkError` with the field's
full path and the reason. The coercions the section parsers share (numbers, dates, codes,
equality within tolerance) live here too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import FrameworkError

__all__ = ["Doc", "as_date", "as_number", "is_close", "read_code", "typename"]

_CODE = re.compile(r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣._\-]*$")
_TOLERANCE = 1e-9


class Doc:
    """A mapping being read, with its path for error messages."""

    def __init__(self, data: Any, path: str, allowed: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise FrameworkError(path or "<document>", f"expected a mapping, got {typename(data)}")
        self.data = data
        self.path = path
        unknown = [str(k) for k in data if k not in allowed]
        if unknown:
            raise FrameworkError(self.at(unknown[0]),
                                 f"unknown field (allowed: {', '.join(allowed)})")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key)
        return default if value is None else value

    def text(self, key: str, required: bool = True, default: str | None = None) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FrameworkError(self.at(key), f"expected text, got {typename(value)}")
        text = str(value).strip()
        if required and not text:
            raise FrameworkError(self.at(key), "must not be empty")
        return text

    def number(self, key: str, required: bool = True, default: float | None = None,
               positive: bool = False, minimum: float | None = None) -> float | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return default
        number = as_number(value, self.at(key))
        if positive and not number > 0:
            raise FrameworkError(self.at(key), f"must be greater than 0, got {value!r}")
        if minimum is not None and number < minimum:
            raise FrameworkError(self.at(key), f"must be at least {minimum:g}, got {value!r}")
        return number

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str:
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise FrameworkError(self.at(key), "required field is missing "
                                     f"(one of: {', '.join(options)})")
            return default
        if value not in options:
            raise FrameworkError(self.at(key),
                                 f"unknown value {value!r} (expected one of: {', '.join(options)})")
        return str(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise FrameworkError(self.at(key), f"expected true or false, got {value!r}")
        return value

    def items(self, key: str, required: bool = True) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise FrameworkError(self.at(key), "required field is missing")
            return []
        if not isinstance(value, list):
            raise FrameworkError(self.at(key), f"expected a list, got {typename(value)}")
        if required and not value:
            raise FrameworkError(self.at(key), "must not be empty")
        return value

    def child(self, key: str, allowed: Sequence[str]) -> Doc:
        return Doc(self.data.get(key) or {}, self.at(key), allowed)


def typename(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
            type(None): "nothing"}.get(type(value), type(value).__name__)


def as_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FrameworkError(path, f"expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise FrameworkError(path, f"must be a finite number, got {value!r}")
    return number


def as_date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrameworkError(path, f"expected a date YYYY-MM-DD, got {value!r}")


def read_code(doc: Doc, key: str = "code") -> str:
    code = doc.text(key)
    assert code is not None
    if not _CODE.match(code):
        raise FrameworkError(doc.at(key), f"invalid code {code!r} (letters, digits, . _ - only)")
    return code


def is_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)
