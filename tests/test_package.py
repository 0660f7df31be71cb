"""The package's shape: modules import each other without cycles, stay small, say what
they do, and the build reads as its steps."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import paperdigest
from paperdigest.build import build

PACKAGE = Path(paperdigest.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = ["paperdigest", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every paperdigest module `path` imports, anywhere in it (lazy and typing-only too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` may name a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in NAMES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {target for target in found if target in NAMES and target != name}


NAMES = {module_name(path) for path in MODULES}


def test_no_module_imports_itself_through_others() -> None:
    graph = {module_name(path): imports_of(path) for path in MODULES}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for target in sorted(graph[node]):
            if target in trail:
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(node)

    done: set[str] = set()
    for module in sorted(graph):
        visit(module, [module])
    assert cycles == []


def test_every_module_stays_under_300_lines() -> None:
    sizes = {module_name(p): len(p.read_text().splitlines()) for p in MODULES}
    assert {name: size for name, size in sizes.items() if size >= 300} == {}


def test_every_module_and_public_function_says_what_it_does() -> None:
    missing = []
    for path in MODULES:
        tree = ast.parse(path.read_text())
        if path.name != "__main__.py" and not ast.get_docstring(tree):
            missing.append(module_name(path))
        # Functions of the module and methods of its public classes; nested helpers and
        # private classes speak through the code around them.
        public = list(tree.body)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                public += node.body
        for node in public:
            is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_function and not node.name.startswith("_") and not ast.get_docstring(node):
                missing.append(f"{module_name(path)}.{node.name}")
    assert missing == []


def test_the_build_fits_on_one_screen_and_catches_nothing() -> None:
    source = inspect.getsource(build)
    assert len(source.splitlines()) <= 40
    tree = ast.parse(source)
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Try)]
    assert _with_depth(tree) <= 1


def _with_depth(node: ast.AST) -> int:
    """How deeply `with` statements nest in a syntax tree."""
    inner = max((_with_depth(child) for child in ast.iter_child_nodes(node)), default=0)
    return inner + isinstance(node, (ast.With, ast.AsyncWith))
