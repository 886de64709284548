"""The potential-enterprise reservoir: firms, their yearly figures and contacts."""

from crm.enterprises import api, export_views, import_views, search_views, views

__all__ = ["api", "export_views", "import_views", "search_views", "views"]
