"""The action plan's targets: the admin's target table, their definitions, progress and API.

Nothing is imported here: the dashboard counts with crm.targets.progress while the targets API
reads the dashboard's snapshot, so loading api.py with the package would import in a circle.
"""
