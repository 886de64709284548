"""The scheduler: which jobs run when, the one process that runs them, and the admin page."""

from crm.scheduling import views

__all__ = ["views"]
