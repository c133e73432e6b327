"""The layering of the stages (STYLE.md): import-linter's contract in pyproject.toml holds, covers
every module the package really has, and catches a violation; plus two rules read from the AST:
``models`` imports nothing of ours, and nothing imports ``cli``.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = "fazhi_review"
SRC = REPO / "src" / PACKAGE
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = SRC) -> list[Path]:
    return sorted(root.rglob("*.py"))


def imported_modules(path: Path, root: Path = SRC) -> set[str]:
    """Every module ``path`` imports, anywhere in it (function-level imports too), made absolute.

    ``from a import b`` counts as importing both ``a`` and ``a.b`` (b may be a submodule).
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m == PACKAGE or m.startswith(PACKAGE + ".")}


def contract_layers() -> list[list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert config["root_package"] == PACKAGE
    layered = [c for c in config["contracts"] if c["type"] == "layers"]
    assert layered, "no layers contract in [tool.importlinter]"
    return [[name.strip().strip("()") for name in layer.replace(":", "|").split("|")] for layer in layered[0]["layers"]]


def run_lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )  # fmt: skip


# ---------------------------------------------------------------- import-linter


def test_import_linter_contracts_hold() -> None:
    result = run_lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout and " 0 broken" in result.stdout, result.stdout


def test_contract_names_only_real_modules() -> None:
    real = {module_name(p) for p in source_files()}
    for layer in contract_layers():
        for module in layer:
            assert module in real, f"pyproject's layers contract names {module}, which does not exist"


def test_contract_covers_every_top_level_module() -> None:
    """A stage added without a place in the layers would escape the contract."""
    layered = {module for layer in contract_layers() for module in layer}
    top_level = {f"{PACKAGE}.{p.stem}" for p in SRC.glob("*.py") if p.name != "__init__.py"}
    top_level |= {f"{PACKAGE}.{p.name}" for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert top_level - layered == set(), f"modules missing from the layers contract: {sorted(top_level - layered)}"


def test_cli_is_the_top_layer_and_models_the_bottom() -> None:
    """Above the CLI only the console scripts' entry (it imports the CLI inside its Ctrl-C handler)."""
    layers = contract_layers()
    assert layers[0] == [f"{PACKAGE}.entry"] and f"{PACKAGE}.cli" in layers[1]
    assert f"{PACKAGE}.models" in layers[-1]


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("models.py", "from fazhi_review import cli as _cli"),
        ("normalize.py", "from fazhi_review.structure import parse_structure as _parse"),
        ("ingest/txt.py", "import fazhi_review.engine.offline"),
        ("llm/prompt.py", "import fazhi_review.engine.assemble"),
        ("evidence.py", "from fazhi_review.engine.claims import Claims as _Claims"),
    ],
    ids=["models-imports-cli", "normalize-imports-structure", "ingest-imports-engine", "llm-imports-engine", "evidence-imports-engine"],
)
def test_contract_catches_a_violation(tmp_path: Path, module: str, line: str) -> None:
    """The contract is not vacuous: a copy of the package with one upward import fails the lint."""
    shutil.copytree(SRC, tmp_path / "src" / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / PACKAGE / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    result = run_lint_imports(tmp_path, env)
    assert result.returncode != 0, f"lint-imports accepted {line!r} in {module}:\n{result.stdout}"
    assert "BROKEN" in result.stdout.upper()


# ---------------------------------------------------------------- AST rules


def test_source_files_found() -> None:
    names = {module_name(p) for p in source_files()}
    assert {f"{PACKAGE}.models", f"{PACKAGE}.cli", f"{PACKAGE}.normalize"} <= names


def test_models_imports_nothing_of_ours() -> None:
    assert ours(imported_modules(SRC / "models.py")) == set()


def test_nothing_imports_cli() -> None:
    """Only the console scripts' entry, which exists to import it."""
    offenders = [
        module_name(path)
        for path in source_files()
        if path not in (SRC / "cli.py", SRC / "entry.py") and ({f"{PACKAGE}.cli"} & imported_modules(path))
    ]
    assert offenders == [], f"modules importing {PACKAGE}.cli: {offenders}"


def test_ast_reader_resolves_relative_imports(tmp_path: Path) -> None:
    """The AST rules above would be blind if relative or function-level imports were missed."""
    package = tmp_path / PACKAGE
    (package / "render").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "render" / "__init__.py").write_text("", encoding="utf-8")
    module = package / "render" / "x.py"
    module.write_text("def f():\n    from .. import cli\n    from ..models import Span\n", encoding="utf-8")
    assert {f"{PACKAGE}.cli", f"{PACKAGE}.models"} <= imported_modules(module, package)
