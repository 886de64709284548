"""The action plan's targets: the admin's target table, their definitions, progress and API."""

from crm.targets import api

__all__ = ["api"]
