"""A step every domain's views take before doing their work."""

from flask import abort


def require(allowed: bool) -> None:
    """Answer 403 unless the user may do this; views check before they read a form."""
    if not allowed:
        abort(403)
