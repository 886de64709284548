"""Security headers on every response: pages, API, static files and error pages alike."""

from flask import Flask
from werkzeug.wrappers import Response

# Everything the pages load is served by the app itself (the office network is air-gapped), so
# 'self' covers scripts, styles, fonts and images. No 'unsafe-inline' for scripts or styles: data
# for scripts travels in data-* attributes or JSON blocks, and widths set at run time go through
# the CSSOM (static/js/sizes.js), which CSP allows. Bootstrap's CSS draws its icons (menu toggler,
# select arrow, close button) as data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Links out carry no path: a firm's id or a filter in the URL stays inside the office.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers older than CSP level 2
}


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
