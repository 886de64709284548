"""On-site visits: logging them, red flags and follow-ups, the pages and the JSON API."""

from crm.visits import api, export_views, views

__all__ = ["api", "export_views", "views"]
