"""scripts/rename_imports.py brings code written against the flat layout of ``geo`` to the stage
packages, and what it writes imports."""

# rename-imports: leave this file

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("rename_imports", ROOT / "scripts" / "rename_imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OLD = '''from geo import admin, coords, lexicon
from geo.locate import Resolver, townships
from geo.pipeline import process_file
import geo.overrides
    from geo.county.command import run_county
    from geo.county import detect_county
monkeypatch.setattr("geo.build.run_build", fake)
# see geo/upload.py and geo/geocoders/service.py
x = geo.locate.COUNTY_BUFFER_DEG
'''
NEW = '''from geo.locate import admin
from geo import coords
from geo.text import lexicon
from geo.locate.resolver import Resolver
from geo.locate import townships
from geo.report.pipeline import process_file
import geo.locate.overrides
    from geo.project.county_command import run_county
    from geo.locate.county import detect_county
monkeypatch.setattr("geo.project.build.run_build", fake)
# see geo/project/upload.py and geo/locate/geocoders/service.py
x = geo.locate.resolver.COUNTY_BUFFER_DEG
'''


def test_old_names_become_the_stage_packages() -> None:
    rename = _script()
    assert rename.rewrite(OLD) == NEW
    assert rename.rewrite(NEW) == NEW  # present names are left as they are


def test_every_rewritten_import_names_a_module_that_exists() -> None:
    rename = _script()
    for new in rename.MOVED.values():
        importlib.import_module(new)
    for line in NEW.splitlines():
        m = re.match(r"\s*from (geo[\w.]*) import (\w+)", line)
        if m:
            assert hasattr(importlib.import_module(m.group(1)), m.group(2)) or importlib.import_module(
                f"{m.group(1)}.{m.group(2)}")


def test_a_file_marked_to_be_left_is_left(tmp_path: Path) -> None:
    rename = _script()
    marked, plain = tmp_path / "marked.py", tmp_path / "plain.py"
    marked.write_text(f"# {rename.SKIP}\n{OLD}", encoding="utf-8")
    plain.write_text(OLD, encoding="utf-8")
    assert rename.main([str(tmp_path)]) == 0
    assert marked.read_text(encoding="utf-8") == f"# {rename.SKIP}\n{OLD}"
    assert plain.read_text(encoding="utf-8") == NEW
