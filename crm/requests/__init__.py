"""Requests firms raise: routing, workflow, pages and the JSON API."""

from crm.requests import api, export_views, routing_views, views

__all__ = ["api", "export_views", "routing_views", "views"]
