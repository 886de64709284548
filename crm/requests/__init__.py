"""Requests firms raise: routing, workflow, pages and the JSON API."""

from crm.requests import api, routing_views, views

__all__ = ["api", "routing_views", "views"]
