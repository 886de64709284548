"""Administration: user accounts, reference data, the audit log and restoring deleted records."""

from crm.admin import audit_views, reference_views, views

__all__ = ["audit_views", "reference_views", "views"]
