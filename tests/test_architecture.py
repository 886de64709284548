"""The dependency rules of STYLE.md section 2, checked by parsing imports (nothing is imported)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = {"crm", "models", "scoring", "app", "tests"}
DOMAIN_LOGIC_FILES = (
    "services.py",
    "queries.py",
    "figures.py",
    "importing.py",
    "exporting.py",
    "file_format.py",
    "progress.py",
    "catalogue.py",
    "validation.py",
    "workflow.py",
    "routing.py",
    "stats.py",
    "timeline.py",
    "records.py",
    "activity.py",
    "firm_facts.py",
    "rescoring.py",
    "ranking.py",
    "overrides.py",
    "cards.py",
    "rules.py",
    "scan.py",
)
# An absolute URL in src= or href= (HTML), or in url(...)/@import (CSS), loads from someone else.
REMOTE_ASSET = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parts[:-1])


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Every module `path` imports, as dotted names (relative imports are resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = package_of(path) if package is None else package
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                modules.add(".".join([*base, node.module] if node.module else base))
            else:
                modules.add(node.module or "")
    return modules


def top_level(module: str) -> str:
    return module.split(".")[0]


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def violations(files: list[Path], forbidden: set[str]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(ROOT)): sorted(
            module for module in imported_modules(path) if top_level(module) in forbidden
        )
        for path in files
    }
    return {path: modules for path, modules in found.items() if modules}


def test_the_import_parser_sees_absolute_and_relative_imports(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "import flask\nfrom flask_babel import gettext\nfrom . import queries\n"
        "from ..audit import record_change\n\ndef later():\n    import sqlalchemy.orm\n"
    )

    modules = imported_modules(module, package="crm.enterprises")

    assert modules == {"flask", "flask_babel", "crm.enterprises", "crm.audit", "sqlalchemy.orm"}


def test_models_import_nothing_from_crm_or_scoring():
    files = python_files("models")

    found = violations(files, {"crm", "scoring"})

    assert files
    assert found == {}


def test_scoring_imports_nothing_of_ours_and_no_web_or_database_library():
    files = python_files("scoring")

    # Scoring modules import each other; nothing else of ours, and no web or database library.
    found = violations(
        files, (OUR_PACKAGES - {"scoring"}) | {"flask", "flask_sqlalchemy", "sqlalchemy"}
    )

    assert files
    assert found == {}


def test_services_and_queries_do_not_import_flask():
    files = [path for path in python_files("crm") if path.name in DOMAIN_LOGIC_FILES]

    found = {
        str(path.relative_to(ROOT)): sorted(
            module
            for module in imported_modules(path)
            if top_level(module) in {"flask", "flask_login"}
        )
        for path in files
    }

    assert any(path.name == "services.py" for path in files)
    assert {path: modules for path, modules in found.items() if modules} == {}


def test_app_py_only_creates_the_app():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))

    statements = [
        node
        for node in tree.body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]

    assert [type(node) for node in statements] == [ast.ImportFrom, ast.Assign]
    assert ast.unparse(statements[0]) == "from crm import create_app"
    assert ast.unparse(statements[1]) == "app = create_app()"


def asset_files() -> list[Path]:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    own_static = [
        path
        for folder in ("static/css", "static/js")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
    ]
    vendored = [
        path
        for path in sorted((ROOT / "static" / "vendor").rglob("*"))
        if path.suffix in {".css", ".js", ".html"}
    ]
    return templates + own_static + vendored


@pytest.mark.parametrize(
    "line",
    [
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap.js"></script>',
        "<link href='//fonts.example.com/x.css' rel=stylesheet>",
        "body { background: url(https://example.com/a.png) }",
        '@import "https://fonts.googleapis.com/css";',
    ],
)
def test_the_remote_asset_pattern_catches_cdn_links(line):
    match = REMOTE_ASSET.search(line)

    assert match is not None


def test_templates_and_static_files_load_no_asset_from_another_site():
    # Licence headers of vendored files name their home page in comments, not in src=/href=.
    files = asset_files()

    remote = {
        str(path.relative_to(ROOT)): REMOTE_ASSET.findall(path.read_text(encoding="utf-8"))
        for path in files
    }

    assert any(path.suffix == ".html" for path in files)
    assert {path: hits for path, hits in remote.items() if hits} == {}
