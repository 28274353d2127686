"""Every form of the office is a bounded form (:class:`seonggwa.core.forms.Form`), and no
view module defines a form of its own."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import seonggwa.office.forms as office_forms
import seonggwa.office.views as office_views
from seonggwa.core.forms import Form


def _classes(package):
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                yield module.__name__, cls


def test_every_office_form_is_bounded():
    found = list(_classes(office_forms))
    assert len(found) > 30
    for module, cls in found:
        assert issubclass(cls, Form), f"{module}.{cls.__name__}"


def test_no_view_module_defines_a_form():
    assert list(_classes(office_views)) == []
