"""The README stays honest: its commands exist, and it documents every setting and option."""

from __future__ import annotations

import re
from dataclasses import fields

from conftest import REPO, run_cli
from paperdigest.arguments import make_parser
from paperdigest.config import SiteConfig

README = (REPO / "README.md").read_text()


def test_every_setting_is_documented_with_its_default() -> None:
    for field in fields(SiteConfig):
        row = re.search(rf"^\| `{field.name}` \| ([^|]+) \|", README, re.MULTILINE)
        assert row, f"README does not document `{field.name}`"
        default = field.default
        if default in (None, "", ()):
            assert row.group(1).strip() == "empty"
        else:
            assert row.group(1).strip() == f"`{default}`"


def test_every_command_is_documented_and_has_help() -> None:
    subparsers = make_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command, parser in subparsers.items():
        assert f"### `paperdigest {command}`" in README
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"README does not mention {command} {option}"
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_the_two_setup_commands_are_the_makefile_targets() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "make site" in README and "make test" in README
    assert re.search(r"^site:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (REPO / ".ci" / "run").read_text()
