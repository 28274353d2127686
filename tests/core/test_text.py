"""The pure rule of the characters a text may not carry (core/text.py: no Django)."""

import subprocess
import sys

from seonggwa.core import text


def test_printable_replaces_what_a_writer_cannot_carry_and_keeps_line_breaks():
    assert text.printable("a\x01b\x7fc\nd\te") == "a\ufffdb\ufffdc\nd\te"
    assert text.printable(None) is None


def test_control_characters_are_described_once_each():
    assert text.control_characters("a\x01b\x01\n") == ["U+0001 SOH", "U+000A LF"]
    assert text.control_characters("a\nb\tc", multiline=True) == []


def test_the_rule_imports_without_django():
    code = ("import sys, seonggwa.core.text; "
            "assert not any(m.split('.')[0] == 'django' for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
