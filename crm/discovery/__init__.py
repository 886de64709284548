"""Active discovery: candidates from investors, competitions, roadshows and referrals, screened
into the reservoir; events and their participants; conversion per source."""

from crm.discovery import api, event_views, intake_views, stats_views, views

__all__ = ["api", "event_views", "intake_views", "stats_views", "views"]
