"""The leaders' dashboard: progress to the action plan's targets, work coverage, reports."""

from crm.dashboard import views

__all__ = ["views"]
