"""The leaders' dashboard: progress to the action plan's targets, work coverage, reports."""

from crm.dashboard import api, target_views, views

__all__ = ["api", "target_views", "views"]
