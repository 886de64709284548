"""Placeholder: being written."""

from crm.visits import api, views

__all__ = ["api", "views"]
