"""Limits on what an upload may be, checked before any workbook reader sees the bytes.

The body is read with a cap (so a missing or false Content-Length cannot make the server read
more than the limit), and the bytes must be an .xlsx package whose members, by their declared
sizes and then by actually unpacking them in chunks, stay within the unpacked-size and
compression-ratio limits. Refusals are `UploadRefused` with a sentence and the HTTP status.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from sheetokr.errors import SheetokrError

MB = 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200  # unpacked / packed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = MB
CHUNK = 256 * 1024
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


class UploadRefused(SheetokrError):
    """An upload that is refused before it is stored; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        f"The upload is larger than the server's limit of {limit / MB:g} MB; "
        "remove unused sheets or images, or ask the administrator to raise "
        "SHEETOKR_MAX_UPLOAD_MB.",
        413,
    )


def read_capped(stream: IO[bytes], limit: int, declared: int | None) -> bytes:
    """Read at most `limit` bytes; refuse with 413 when the body is (or says it is) longer."""
    if declared is not None and declared > limit:
        raise too_large(limit)
    parts: list[bytes] = []
    size = 0
    while True:
        part = stream.read(min(CHUNK, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
        if size > limit:
            raise too_large(limit)
    return b"".join(parts)


def not_a_workbook(what: str) -> UploadRefused:
    return UploadRefused(
        f"The upload is not an Excel workbook (.xlsx): {what}. Send the .xlsx file itself "
        "(in Google Sheets: File > Download > Microsoft Excel)."
    )


def check_workbook(data: bytes, max_unzipped: int) -> None:
    """Refuse bytes that are not an .xlsx package or that unpack to too much."""
    if not data:
        raise not_a_workbook("the body is empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise not_a_workbook(
            "it is an old-style .xls file or a password-protected workbook; "
            "save it as .xlsx without a password"
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise not_a_workbook("it is not a zip package") from None
    with package:
        members = package.infolist()
        names = {m.filename for m in members}
        missing = [n for n in XLSX_MEMBERS if n not in names]
        if missing:
            raise not_a_workbook(f"the package has no {missing[0]}")
        check_declared(members, max_unzipped)
        check_unpacked(package, members, max_unzipped)


def bomb(what: str) -> UploadRefused:
    return UploadRefused(
        f"The workbook was refused because {what}; a team workbook unpacks to a few megabytes. "
        "Save a copy without large hidden content and upload that."
    )


def check_declared(members: list[zipfile.ZipInfo], max_unzipped: int) -> None:
    """Refuse by the sizes the package declares, before unpacking anything."""
    if len(members) > MAX_MEMBERS:
        raise bomb(f"it holds {len(members)} parts (at most {MAX_MEMBERS})")
    total = 0
    for member in members:
        total += member.file_size
        if total > max_unzipped:
            raise bomb(f"it would unpack to more than {max_unzipped / MB:g} MB")
        if member.file_size > RATIO_FLOOR and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise bomb(f"its part {member.filename} is compressed {ratio} to 1")


def check_unpacked(
    package: zipfile.ZipFile, members: list[zipfile.ZipInfo], max_unzipped: int
) -> None:
    """Unpack in chunks, counting, so a package that lies about its sizes is caught too."""
    total = 0
    for member in members:
        try:
            with package.open(member) as part:
                while chunk := part.read(CHUNK):
                    total += len(chunk)
                    if total > max_unzipped:
                        raise bomb(f"it unpacks to more than {max_unzipped / MB:g} MB")
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise not_a_workbook(f"its part {member.filename} cannot be unpacked ({exc})") from None
