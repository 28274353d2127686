"""One way an office view makes a change: the domain call under the version check, and
every refusal turned into what the page shows, the same way on every page.

::

    done = attempt(request, lambda fresh: changes.update_service(fresh, **data), service,
                   form=form)
    if done.ok:
        return redirect(...)
    version = done.version_or(version)          # re-show the form, input kept

- With objects (or ``events``), the change runs under :func:`seonggwa.core.concurrency.
  guarded` with the version the form was posted with: the objects are locked and read
  again (``change`` gets them: one object itself, else a list), and a change by someone
  else since the page was loaded refuses it. Without, ``change(None)`` runs as it is (the
  domain function keeps its own transaction): a creation has no version to check.
- Someone else changed it first (:class:`~seonggwa.core.concurrency.StaleEdit`, or one of
  ``conflicts``): status 409, the message says who and when, ``version`` is the version
  now.
- The domain refused (any ``ValidationError``: ``WorkflowError``, ``TransitionRefused``,
  ``DeadlineRefused``, ``SubmissionRefused``, a registry refusal…, or one of
  ``refusals``): status 400, its messages.
- The messages go onto ``form`` (a refusal that names one of its fields next to that
  field, any other above the form), or, with ``tell=True``, to the page's error messages;
  ``problems`` holds them in any case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError

from seonggwa.core import concurrency


@dataclass
class Attempt:
    """What came of a change: its value, or why it was not made."""

    value: object = None
    #: The objects locked and read again (guarded changes).
    fresh: object = None
    problems: list[str] = field(default_factory=list)
    #: 200 done; 409 someone else changed it first; 400 refused.
    status: int = 200
    #: The version now, when someone else changed it first.
    version: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def stale(self) -> bool:
        return self.status == 409

    def version_or(self, default: int | None) -> int | None:
        return self.version if self.version is not None else default

    def joined(self) -> str:
        return " ".join(self.problems)


def refusal_messages(exc: Exception) -> list[str]:
    """The messages of a refusal, in words."""
    found = getattr(exc, "messages", None)
    if found:
        return [str(m) for m in found]
    return [str(getattr(exc, "message", None) or exc)]


def _show(form, exc: Exception, problems: list[str]) -> None:
    if hasattr(exc, "error_dict"):  # a refusal naming fields: beside them
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    for message in problems:
        form.add_error(None, message)


def attempt(request, change: Callable, *objs, events=None, form=None, tell: bool = False,
            conflicts: tuple[type[Exception], ...] = (),
            refusals: tuple[type[Exception], ...] = ()) -> Attempt:
    """Run ``change`` as the module says; what came of it."""
    done = Attempt()
    try:
        if objs or events is not None:
            with concurrency.guarded(concurrency.posted(request.POST), *objs,
                                     events=events) as fresh:
                done.fresh = fresh
                done.value = change(fresh)
        else:
            done.value = change(None)
    except (concurrency.StaleEdit, *conflicts) as exc:
        done.status, done.problems = 409, refusal_messages(exc)
        done.version = getattr(exc, "version", None)
        failure = exc
    except (ValidationError, *refusals) as exc:
        done.status, done.problems = 400, refusal_messages(exc)
        failure = exc
    else:
        return done
    if form is not None:
        _show(form, failure, done.problems)
    if tell:
        for message in done.problems:
            messages.error(request, message)
    return done
