"""The built-in examples, loaded by ``seonggwa run`` / ``seonggwa load seoul``: Seoul's
published outsourcing results (through :mod:`seonggwa.examples.seoul`) and the
2018 civic-platform evaluation with its demonstration (:mod:`.civic_platform`), which goes
through every part of the process (schedules, submissions, panels, sheets, appeals) and so
sits above them all."""
