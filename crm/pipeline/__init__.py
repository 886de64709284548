"""The leaders' pipeline: training and publishing model versions, scoring, ranking, overrides."""

from crm.pipeline import api, views

__all__ = ["api", "views"]
