"""``<option>`` tags of long select lists, rendered in one plain loop.

Django renders each option of a select widget through a template; for a list of a few
hundred departments that is a third of a page's render time. Pages that offer such a
list render its options with :func:`option_tags` and write the ``<select>`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe


def option_tags(choices: Iterable[tuple[object, str]], selected) -> SafeString:
    """``<option>``s of (value, label) pairs, the one equal to ``selected`` selected;
    values and labels are escaped."""
    selected = "" if selected is None else str(selected)
    return format_html_join("\n", '<option value="{}"{}>{}</option>', (
        (value, mark_safe(" selected") if str(value) == selected else "", label)
        for value, label in choices))
