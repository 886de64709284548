"""Placeholder: being written."""

from crm.requests import api, views

__all__ = ["api", "views"]
