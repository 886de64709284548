"""The potential-enterprise reservoir: firms, their yearly figures and contacts."""

from crm.enterprises import api, transfer, views

__all__ = ["api", "transfer", "views"]
