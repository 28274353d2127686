"""The product's settings (from the environment, as served) with the bench URLconf, which
adds the trivial view the load benchmark compares every page with."""

from seonggwa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_trivial"
