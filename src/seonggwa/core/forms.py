"""The base of every form a person fills in: each field holds to the one rule of what may
be stored (:mod:`seonggwa.core.bounds`), whoever wrote the form and whatever fields it adds
at run time.

- a text field (``CharField`` and its kinds) refuses control characters; one shown as a
  text area (``Textarea``) may hold tab and line breaks, any other holds none;
- a date field is bounded to :data:`~seonggwa.core.bounds.DATE_MIN` ..
  :data:`~seonggwa.core.bounds.DATE_MAX`;
- a whole-number field is bounded to the stored range (a PostgreSQL ``integer``); a field
  with narrower bounds of its own keeps them (and their message).

Each refusal is the field's own error, in words (the bounds' messages). A form subclasses
:class:`Form` instead of ``django.forms.Form``; :func:`bounded` applies the same checks to
one field outside such a form.
"""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from seonggwa.core import bounds


def _int_check(field: forms.IntegerField):
    """The stored range of a whole number, said only where the field's own bounds do not
    already refuse the value (one error per value, never two)."""
    def check(value):
        if value is None:
            return
        if field.min_value is not None and value < field.min_value:
            return  # the field's own minimum says so
        if field.max_value is not None and value > field.max_value:
            return  # the field's own maximum says so
        low = bounds.INT_MIN if field.min_value is None else field.min_value
        high = bounds.INT_MAX if field.max_value is None else field.max_value
        problem = bounds.int_problem(value, minimum=low, maximum=high)
        if problem:
            raise forms.ValidationError(problem, code="int_out_of_range")

    return check


def bounded(field: forms.Field) -> forms.Field:
    """``field`` with the checks of :mod:`seonggwa.core.bounds` added (once); returned
    for use in a field definition."""
    if getattr(field, "_bounded", False):
        return field
    field._bounded = True
    if isinstance(field, forms.CharField):
        check = (bounds.check_multiline_text if isinstance(field.widget, forms.Textarea)
                 else bounds.check_text)
        # the control-character check names NUL too: one message, not Django's second
        field.validators = [v for v in field.validators
                            if not isinstance(v, ProhibitNullCharactersValidator)] + [check]
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(bounds.check_date)
    elif isinstance(field, forms.IntegerField) and not isinstance(
            field, (forms.FloatField, forms.DecimalField)):
        field.validators.append(_int_check(field))
    return field


class Form(forms.Form):
    """A ``django.forms.Form`` whose every field is :func:`bounded` before it is cleaned
    (fields added in ``__init__`` included)."""

    def full_clean(self):
        for field in self.fields.values():
            bounded(field)
        super().full_clean()
