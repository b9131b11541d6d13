"""A workbook file's bytes, or one sentence saying why they cannot be a workbook: missing, a
folder, unreadable, too large, empty, password-protected (or an old .xls) or not a zip package.
Shared by the reader and the patcher so both refuse the same files with the same words."""

from __future__ import annotations

from pathlib import Path

from sheetokr.errors import UnusableWorkbook

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
MAX_FILE_BYTES = 200 * 1024 * 1024


def read_file(path: Path) -> bytes:
    """The file's bytes, checked with `check_bytes`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnusableWorkbook(
                f"{path.name} is {size // (1024 * 1024)} MB; sheetokr reads workbooks up to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableWorkbook(f"{path} does not exist; check the file name.") from None
    except IsADirectoryError:
        raise UnusableWorkbook(f"{path} is a folder, not a workbook.") from None
    except PermissionError:
        raise UnusableWorkbook(
            f"{path} cannot be read (permission denied); check who may read it."
        ) from None
    check_bytes(data, path.name)
    return data


def check_bytes(data: bytes, name: str) -> None:
    """Refuse bytes that cannot be an .xlsx/.xlsm package, naming the file."""
    if not data:
        raise UnusableWorkbook(f"{name} is empty (0 bytes); it is not a workbook.")
    if data.startswith(OLE_SIGNATURE):
        raise UnusableWorkbook(
            f"{name} is password-protected (encrypted with a password) or an old .xls file; "
            "save it in Excel as .xlsx without a password (File > Info > Protect Workbook)."
        )
    if not data.startswith(b"PK"):
        raise UnusableWorkbook(not_zip(name))


def not_zip(name: str) -> str:
    return (
        f"{name} is not an Excel workbook (.xlsx or .xlsm): it is not a zip package; "
        "save it in that format."
    )
