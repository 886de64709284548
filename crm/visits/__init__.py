"""Placeholder: being written."""

from crm.visits import api, export_views, views

__all__ = ["api", "export_views", "views"]
