"""Each role's first page: a manager's day ("today") and the counts the navigation bar shows."""

from crm.today import views

__all__ = ["views"]
