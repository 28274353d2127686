"""Notices, the release of a round's results, the one objection per result and the lock.

::

    Release (one officer's sending of a round's results)
      └─ Appeal (one per released result: the state of its objection process)
           ├─ Objection (at most one: reasons, who filed it for which organisation)
           │    └─ ObjectionFile (evidence, through Django's storage API)
           └─ ResultLock (once final: the result never changes again; a database
                          trigger refuses every change, see appeals.domain.dblock)
    Notice (what a user is told in the app, read or unread; also sent by e-mail)
"""

from seonggwa.appeals.models.appeals import (
    Appeal,
    AppealState,
    Objection,
    ObjectionFile,
    Outcome,
    Release,
    ResultLock,
)
from seonggwa.appeals.models.notices import Notice

__all__ = ["Appeal", "AppealState", "Notice", "Objection", "ObjectionFile", "Outcome",
           "Release", "ResultLock"]
