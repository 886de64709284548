"""Where a `next=` value may send the browser after login: only a path of this site."""

from urllib.parse import urlsplit

# Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so "/\t/host"
# and "/\\host" both become "//host": another site. Any control character is refused outright.
_REFUSED_CHARACTERS = frozenset("\\") | {chr(code) for code in (*range(32), 127)}


def safe_next_path(target: str | None) -> str | None:
    """`target` if it is a plain same-site path ("/enterprises/?q=x"), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(character in _REFUSED_CHARACTERS for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
