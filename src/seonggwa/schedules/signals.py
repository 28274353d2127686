"""Signals sent when a window opens or closes (by the scheduler or by an edit that moves
its dates), so other parts react without a page visit: e.g. appeals finalises a result
whose objection window closed without an objection.

Receivers get ``sender=Window`` and ``window=<Window>``, inside the transaction that
changed the window's state: a receiver that fails rolls the change back and the next
tick tries again.
"""

from django.dispatch import Signal

window_opened = Signal()
window_closed = Signal()
