"""Placeholder: being written."""

from crm.policies import api, views

__all__ = ["api", "views"]
