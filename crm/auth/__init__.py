"""Logging in and out, the language switch, the user loader, and the user's own account page."""

from crm.auth import account_views, views

__all__ = ["account_views", "views"]
