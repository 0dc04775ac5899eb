"""Idea categories (shared by ideas, feedback, open data and Open311 services)."""
