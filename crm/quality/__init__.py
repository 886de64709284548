"""The data-quality page: gaps in the reservoir and bad codes found by imports, with fixes."""

from crm.quality import labels, queries, views

__all__ = ["labels", "queries", "views"]
