"""The potential-enterprise reservoir: firms, their yearly figures and contacts."""

from crm.enterprises import api, search, transfer, views

__all__ = ["api", "search", "transfer", "views"]
