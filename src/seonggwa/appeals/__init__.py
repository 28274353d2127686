"""Notification of results, the in-app notice list, the one objection, re-review and the final lock."""
