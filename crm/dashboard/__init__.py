"""The leaders' dashboard: progress to the action plan's targets, work coverage, reports."""

from crm.dashboard import target_views, views

__all__ = ["target_views", "views"]
