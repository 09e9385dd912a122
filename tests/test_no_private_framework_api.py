"""No project module leans on private (underscore) names of Django, DRF or psycopg.

What is private there can change in any release without notice; the project uses their documented
APIs only. This reads every Python module of the project (tests, migrations and the virtualenv aside)
and fails on:
- an import of an underscore name, or from an underscore module, of `django`, `rest_framework` or
  `psycopg` (`from django.db.models.query import _foo`, `import psycopg._bar`);
- an underscore attribute (`obj._iterable_class`, `db._prepare_cursor`) that the project does not
  define itself, unless it is one of the documented underscore names below (`Model._meta` is
  Django's documented Options API, `Manager._db` is what its documentation's custom managers save
  with; the namedtuple methods are the standard library's API);
- a class that overrides an underscore method of a Django, DRF or psycopg base class it names
  (`UserManager._create_user`).
"""

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("django", "rest_framework", "psycopg")
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "__pycache__", "bench-results"}
# Documented underscore names: Django's `_meta` (Model _meta API), namedtuple's methods, gettext's `_`.
DOCUMENTED = {"_meta", "_db", "_asdict", "_replace", "_fields", "_make", "_"}
# Private names of other libraries, which the underscore-attribute rule cannot tell from Django's:
# django-pghistory's per-thread context, read by the audit trail on SQLite (pghistory offers no public
# reader of it).
OTHER_LIBRARIES = {("core/audit.py", "_tracker"), ("core/audit_sqlite.py", "_tracker")}


def project_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_names(trees) -> set[str]:
    """Underscore names the project defines: functions, classes, module names, assigned attributes,
    arguments, and keyword arguments of its own calls."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    for path in project_files():
        names.add(path.stem)
    return {name for name in names if is_private(name)}


def framework_module(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in FRAMEWORKS


def framework_bases(tree) -> dict[str, type]:
    """The names a module imports from Django, DRF or psycopg that are classes: name -> class."""
    classes = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and framework_module(node.module) and node.level == 0:
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                continue
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, type):
                    classes[alias.asname or alias.name] = value
    return classes


def violations(path: Path, tree, own: set[str]) -> list[str]:
    found = []
    where = path.relative_to(ROOT)
    bases = framework_bases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            parents = [bases[b.id] for b in node.bases if isinstance(b, ast.Name) and b.id in bases]
            found += [
                f"{where}:{item.lineno}: {node.name}.{item.name} overrides a private method"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and is_private(item.name)
                and any(hasattr(parent, item.name) for parent in parents)
            ]
        if isinstance(node, ast.ImportFrom) and framework_module(node.module):
            if any(is_private(part) for part in node.module.split(".")):
                found.append(f"{where}:{node.lineno}: from {node.module} import ...")
            found += [
                f"{where}:{node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if is_private(alias.name)
            ]
        elif isinstance(node, ast.Import):
            found += [
                f"{where}:{node.lineno}: import {alias.name}"
                for alias in node.names
                if framework_module(alias.name) and any(is_private(p) for p in alias.name.split("."))
            ]
        elif isinstance(node, ast.Attribute) and is_private(node.attr):
            if node.attr not in own | DOCUMENTED and (str(where), node.attr) not in OTHER_LIBRARIES:
                found.append(f"{where}:{node.lineno}: .{node.attr}")
    return found


def scan() -> dict[str, list[str]]:
    parsed = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in project_files()}
    own = defined_names(parsed.values())
    return {
        str(path.relative_to(ROOT)): found
        for path, tree in parsed.items()
        if (found := violations(path, tree, own))
    }


def test_no_private_framework_names_in_the_project():
    found = scan()
    assert not found, "private Django/DRF/psycopg names:\n" + "\n".join(sum(found.values(), []))


def test_the_check_finds_what_it_is_meant_to_find():
    """The rule must be able to fail: private imports and attributes in a module are reported."""
    source = (
        "from django.db.models.query import ModelIterable, get_related_populators, _prefetch\n"
        "import psycopg._encodings\n"
        "from rest_framework._private import thing\n"
        "def f(queryset, db):\n"
        "    queryset._iterable_class\n"
        "    db._prepare_cursor(None)\n"
        "    queryset.model._meta\n"
        "from django.contrib.auth.models import UserManager\n"
        "class Manager(UserManager):\n"
        "    def _create_user(self, *args):\n"
        "        pass\n"
        "    def _own_helper(self):\n"
        "        pass\n"
    )
    path = ROOT / "example.py"
    found = violations(path, ast.parse(source), own=set())
    assert sorted(found) == [
        "example.py:10: Manager._create_user overrides a private method",
        "example.py:1: from django.db.models.query import _prefetch",
        "example.py:2: import psycopg._encodings",
        "example.py:3: from rest_framework._private import ...",
        "example.py:5: ._iterable_class",
        "example.py:6: ._prepare_cursor",
    ]
