"""Reminders: the rules that find what is due, the scan that stores them, inbox, e-mail, digest."""

from crm.reminders import api, labels, views

__all__ = ["api", "labels", "views"]
