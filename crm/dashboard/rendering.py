"""The dashboard's sections as HTML, rendered once per snapshot rather than on every view.

Formatting a few thousand numbers in the reader's language costs more than reading the figures;
the snapshot keeps the page's and the printable report's HTML beside the data.
"""

from flask import current_app, has_request_context, render_template

from crm.dashboard.report import Section

LAYOUTS = ("page", "print")


def sections_html(sections: list[Section]) -> dict[str, str]:
    """HTML of the sections in each layout, in the current language."""

    def render() -> dict[str, str]:
        return {
            layout: render_template(
                "dashboard/_sections.html", sections=sections, printing=layout == "print"
            )
            for layout in LAYOUTS
        }

    if has_request_context():
        return render()
    # A scheduled refresh has no request; the links in the tables are paths, host-free.
    with current_app.test_request_context():
        return render()
