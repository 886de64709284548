"""The listing pipeline: firms' tracks to a stock exchange, their blockers, pages and API."""

from crm.listings import api, export_views, step_views, views

__all__ = ["api", "export_views", "step_views", "views"]
