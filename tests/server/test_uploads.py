"""Upload limits on their own: the capped reader and the package checks, case by case."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from sheetokr_server.uploads import MB, UploadRefused, check_workbook, read_capped


@pytest.mark.parametrize(
    "size, declared, refused",
    [(10, None, False), (100, None, False), (101, None, True), (10, 101, True), (10, 50, False)],
)
def test_read_capped(size: int, declared: int | None, refused: bool) -> None:
    stream = io.BytesIO(b"x" * size)
    if refused:
        with pytest.raises(UploadRefused) as caught:
            read_capped(stream, 100, declared)
        assert caught.value.status == 413
        assert stream.tell() <= 101  # never read past the limit
    else:
        assert read_capped(stream, 100, declared) == b"x" * size


def package(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


BASE = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    "parts, says",
    [
        ({**BASE, "xl/big.xml": b"<a>" + b"1" * (3 * MB) + b"</a>"}, "compressed"),
        ({**BASE, **{f"xl/p{i}.xml": b"<p/>" for i in range(2001)}}, "2003 parts"),
        ({**BASE, "xl/media/img.bin": bytes(range(256)) * (9 * 4096)}, "more than 8 MB"),
        ({"xl/workbook.xml": b"<workbook/>"}, "[Content_Types].xml"),
    ],
)
def test_packages_refused(parts: dict[str, bytes], says: str) -> None:
    with pytest.raises(UploadRefused) as caught:
        check_workbook(package(parts), 8 * MB)
    assert caught.value.status == 400
    assert says in str(caught.value)


def test_a_small_plain_package_passes() -> None:
    check_workbook(package({**BASE, "xl/sheet.xml": b"<sheet>" + b"x" * 5000 + b"</sheet>"}), MB)


def lying_package(real: bytes, claimed: int) -> bytes:
    """A package whose one big part declares `claimed` bytes but holds `real` when unpacked."""
    data = package({**BASE, "xl/big.xml": real})
    out = bytearray(data)
    # the uncompressed-size fields of its local header and of its central directory entry
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = out.rfind(signature)
        out[start + offset : start + offset + 4] = struct.pack("<I", claimed)
    return bytes(out)


def test_a_package_that_lies_about_its_sizes_is_refused() -> None:
    body = lying_package(b"\0" * (4 * MB), 1000)
    members = zipfile.ZipFile(io.BytesIO(body)).infolist()
    assert members[-1].file_size == 1000  # it declares little
    with pytest.raises(UploadRefused) as caught:
        check_workbook(body, 8 * MB)
    assert "cannot be unpacked" in str(caught.value)
