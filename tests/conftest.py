"""Shared test configuration. App-specific fixtures live in each folder's conftest.py."""
