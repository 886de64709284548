"""Logging in and out, the language switch, and the user loader."""

from crm.auth import views

__all__ = ["views"]
