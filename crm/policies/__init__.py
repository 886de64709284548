"""Policy packages ("one enterprise, one policy"): proposal, approval, milestones, pages and API."""

from crm.policies import api, export_views, views

__all__ = ["api", "export_views", "views"]
