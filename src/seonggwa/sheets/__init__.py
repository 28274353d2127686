"""Scoring sheets: each member's ratings and written findings per key goal, drafts and submitted versions, score integrity (justified outliers)."""
