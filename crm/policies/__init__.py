"""Placeholder: being written."""

from crm.policies import api, export_views, views

__all__ = ["api", "export_views", "views"]
