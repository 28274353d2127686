"""Office pages (behind login). Views read through domain queries and change state only
through domain functions (:mod:`seonggwa.evaluations.domain.workflow`)."""
