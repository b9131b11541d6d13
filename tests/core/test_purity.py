"""STYLE habit 1: the core imports the standard library only. Checked in a fresh interpreter,
so that modules other tests loaded cannot hide an import."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

FORBIDDEN = ["openpyxl", "python_calamine", "gspread", "google", "xlwings", "flask", "sqlalchemy"]
PURE = ["sheetokr.core.engine", "sheetokr.core.values", "sheetokr.sheets.parse",
        "sheetokr.functions"]

PROBE = """
import importlib, importlib.util, json, sys
names = json.loads(sys.argv[1])
imported = []
for name in names:
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name)
        imported.append(name)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"imported": imported, "loaded": loaded}))
"""


def _probe(modules):
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(modules)],
        capture_output=True, text=True, check=True, cwd=str(_root()),
    )
    return json.loads(out.stdout)


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", PURE)
def test_core_module_loads_no_adapter(module):
    if module == "sheetokr.functions" and importlib.util.find_spec(module) is None:
        pytest.skip("sheetokr.functions does not exist yet")
    found = _probe([module])
    assert found["imported"] == [module]
    leaked = sorted(set(FORBIDDEN) & set(found["loaded"]))
    assert leaked == [], f"{module} loaded {leaked}"


def test_all_core_modules_together_load_no_adapter():
    found = _probe(PURE)
    assert "sheetokr.core.engine" in found["imported"]
    assert sorted(set(FORBIDDEN) & set(found["loaded"])) == []


def test_the_probe_can_see_an_adapter():
    # the check is not vacuous: importing the xlsx reader does load python_calamine
    found = _probe(["sheetokr.xlsx.read"])
    assert "python_calamine" in found["loaded"]
