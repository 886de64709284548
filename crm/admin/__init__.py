"""Administration: user accounts (reference data comes from seed_data/)."""

from crm.admin import views

__all__ = ["views"]
