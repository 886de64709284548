"""Administration: user accounts and the reference data's names."""

from crm.admin import reference_views, views

__all__ = ["reference_views", "views"]
