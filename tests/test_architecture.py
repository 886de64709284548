"""The dependency rules of STYLE.md section 2, checked by parsing imports (nothing is imported)."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = {"crm", "models", "scoring", "app", "tests"}
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


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("models", {"crm", "scoring"}),
        # Scoring modules import each other; nothing else of ours, and no web or database library.
        ("scoring", (OUR_PACKAGES - {"scoring"}) | {"flask", "flask_sqlalchemy", "sqlalchemy"}),
        ("benchmarks", {"tests"}),
    ],
)
def test_a_layer_imports_nothing_it_may_not(folder, forbidden):
    files = python_files(folder)

    found = violations(files, forbidden)

    assert files
    assert found == {}


# Flask's request objects: what only the code a request runs through may read.
REQUEST_OBJECTS = {"flask.request", "flask.session", "flask.g", "flask_login.current_user"}


def request_objects_imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in {"flask", "flask_login"}
        for alias in node.names
        if f"{node.module}.{alias.name}" in REQUEST_OBJECTS
    )


def domain_modules() -> list[Path]:
    """Every module of a domain package (crm/<domain>/) except its boundary: views, the API, CLI
    commands and jobs. crm/api/ and the modules at crm/'s top level are the web layer itself."""
    return [
        path
        for path in python_files("crm")
        if len(path.relative_to(ROOT / "crm").parts) > 1
        and path.relative_to(ROOT / "crm").parts[0] != "api"
        and not BOUNDARY_MODULE.match(path.stem)
    ]


def test_only_views_read_the_request():
    # Services, queries, forms and the rest take the user, the day and the input as arguments,
    # so a job or a command can call them as a view does.
    files = domain_modules()

    found = {str(path.relative_to(ROOT)): request_objects_imported(path) for path in files}

    assert any(path.name == "services.py" for path in files)
    assert {path: names for path, names in found.items() if names} == {}


def test_the_request_finder_sees_request_objects(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from flask import current_app, request\nfrom flask_login import current_user\n"
    )

    assert request_objects_imported(module) == ["flask.request", "flask_login.current_user"]


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


# Where a unit of work starts, and so commits: a request (views, the API), a command, a job.
BOUNDARY_MODULE = re.compile(r"^(?:.+_)?(?:views|api|cli|jobs)$")
# Services that commit on purpose, each for a reason a flush cannot serve.
COMMITS_BY_DESIGN = {
    # A streamed export's audit entry is written after the view returned, once the file is sent.
    "crm/export_audit.py",
    # Reminder mail: each claim is committed before its SMTP send, so a crash never mails twice.
    "crm/reminders/mailing.py",
    "crm/reminders/digest.py",
    # The reminder scan writes through a connection of its own, in batches, for scale.
    "crm/reminders/scan.py",
    # The scheduler process: claims run-now requests and beats, between jobs.
    "crm/scheduling/process.py",
}


def _is_command(function: ast.FunctionDef) -> bool:
    """A click command (`@click.command`, `@crm_cli.command(...)`) commits like a CLI module."""
    return any(
        isinstance(target := getattr(decorator, "func", decorator), ast.Attribute)
        and target.attr == "command"
        for decorator in function.decorator_list
    )


def committing_functions(path: Path) -> list[str]:
    """The functions of `path` that call session.commit() or connection.commit(), commands
    apart; a savepoint's commit only ends the savepoint."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or _is_command(
            function
        ):
            continue
        for node in ast.walk(function):
            receiver = getattr(getattr(node, "func", None), "value", None)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
                and ast.unparse(receiver).split(".")[-1] in {"session", "connection"}
            ):
                found.append(function.name)
    return found


def test_the_commit_finder_sees_session_commits_but_not_commands_or_savepoints(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "def publish():\n    db.session.commit()\n\n"
        "def nested():\n    savepoint.commit()\n\n"
        "@crm_cli.command('x')\ndef command():\n    db.session.commit()\n"
    )

    found = committing_functions(module)

    assert found == ["publish"]


def test_services_flush_and_only_views_api_commands_and_jobs_commit():
    services = [
        path
        for path in python_files("crm")
        if not BOUNDARY_MODULE.match(path.stem) and "api" not in path.relative_to(ROOT).parts
    ]

    found = {
        str(path.relative_to(ROOT)): committing_functions(path)
        for path in services
        if str(path.relative_to(ROOT)) not in COMMITS_BY_DESIGN
    }

    assert {path: functions for path, functions in found.items() if functions} == {}


def test_starting_the_app_does_not_load_scikit_learn():
    # Every web worker, command and scheduler process starts the app; scikit-learn is half of that
    # start, and only training and scoring need it (they import it when they run).
    started = subprocess.run(
        [sys.executable, "-c", "import sys, app; print('sklearn' in sys.modules)"],
        cwd=ROOT,
        env={**os.environ, "CRM_ENV": "development", "DATABASE_URL": "sqlite://"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert started.stdout.strip() == "False"
