"""Bank credit white lists: partner banks, nomination batches, decisions, loans, pages and API."""

from crm.credit import api, bank_views, export_views, views

__all__ = ["api", "bank_views", "export_views", "views"]
