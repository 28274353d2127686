"""seonggwa (성과): public-sector performance evaluation, end to end."""

__version__ = "0.1.0"
