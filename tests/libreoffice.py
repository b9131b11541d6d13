"""LibreOffice headless as a real spreadsheet client for tests: recalculate workbooks (every
formula, on load) and convert them to xlsx or PDF, many files per call.

LibreOffice runs with its own user profile whose registrymodifications.xcu sets
`/org.openoffice.Office.Calc/Formula/Load` `OOXMLRecalcMode` to 0 ("always recalculate"), so the
cached values it writes are its own results, never the ones stored in the file. A call sends at
most `BATCH` files and checks that every output exists.

Use the `recalculate` fixture (import it into a test module) or `convert()` directly. Without
`soffice` the fixture skips, except when the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

BATCH = 200
TIMEOUT = 600
FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}

REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" \
oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

# Wall-clock seconds of every LibreOffice call in this process, for reports.
TIMINGS: list[tuple[int, float]] = []


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed or not on PATH."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(folder: Path) -> Path:
    """A fresh LibreOffice user profile that recalculates xlsx files on load."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return folder


def convert(
    paths: Sequence[Path], fmt: str, outdir: Path, profile: Path | None = None
) -> list[Path]:
    """Open each file in LibreOffice (recalculating it) and save it as `fmt` into `outdir`.

    Returns the output paths in input order; raises when soffice is missing, fails, or leaves an
    output missing.
    """
    program = soffice()
    if program is None:
        raise LibreOfficeMissing("soffice (LibreOffice) is not installed")
    paths = [Path(p).resolve() for p in paths]
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("files converted together need distinct names")
    if outdir.resolve() in {p.parent for p in paths}:
        raise ValueError("outdir must differ from the folder of the input files")
    outdir.mkdir(parents=True, exist_ok=True)
    own_profile = profile is None
    if profile is None:
        profile = make_profile(Path(tempfile.mkdtemp(prefix="lo-profile-")))
    try:
        for first in range(0, len(paths), BATCH):
            _run(program, paths[first : first + BATCH], fmt, outdir, profile)
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    outputs = [outdir / f"{p.stem}.{fmt}" for p in paths]
    missing = [str(p) for p in outputs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no output for: {', '.join(missing)}")
    return outputs


def _run(program: str, batch: Sequence[Path], fmt: str, outdir: Path, profile: Path) -> None:
    command = [
        program,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        FILTERS.get(fmt, fmt),
        "--outdir",
        str(outdir),
        *[str(p) for p in batch],
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    TIMINGS.append((len(batch), time.monotonic() - started))
    if done.returncode != 0:
        raise RuntimeError(
            f"soffice exited {done.returncode}: {done.stderr.strip() or done.stdout.strip()}"
        )


def require_soffice() -> None:
    """Skip the test without LibreOffice, or fail when CI is set."""
    if soffice() is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is required when CI is set, but it is not installed")
    pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture(scope="session")
def libreoffice_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_soffice()
    return make_profile(tmp_path_factory.mktemp("libreoffice-profile"))


@pytest.fixture
def recalculate(
    libreoffice_profile: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Sequence[Path]], list[Path]]:
    """recalculate(paths) -> recalculated copies (xlsx) of `paths`, in order, in a new folder."""

    def run(paths: Sequence[Path]) -> list[Path]:
        outdir = tmp_path_factory.mktemp("recalculated")
        return convert(paths, "xlsx", outdir, libreoffice_profile)

    return run


@pytest.fixture
def to_pdf(
    libreoffice_profile: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Sequence[Path]], list[Path]]:
    """to_pdf(paths) -> PDF renderings of `paths`, in order, in a new folder."""

    def run(paths: Sequence[Path]) -> list[Path]:
        outdir = tmp_path_factory.mktemp("pdf")
        return convert(paths, "pdf", outdir, libreoffice_profile)

    return run
