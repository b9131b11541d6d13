"""The .xlsx/.xlsm file as a zip package, handled so that nothing is lost: refusing files that
cannot be used (not a zip, encrypted, zip bombs), copying every member Refresh does not change with
its original local header and compressed bytes, and replacing the file atomically after checking
that it is not open in Excel or LibreOffice and not read-only. It knows zip and file safety only,
never what a part holds, and imports the standard library only.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sheetokr.errors import UnusableWorkbook, WorkbookLocked
from sheetokr.xlsx.files import OLE_SIGNATURE as OLE_SIGNATURE  # re-exported for tests
from sheetokr.xlsx.files import not_zip, read_file

MAX_TOTAL_BYTES = 200 * 1024 * 1024
"""Largest sum of the members' uncompressed sizes."""
MAX_MEMBERS = 10_000
MAX_RATIO = 100
"""Largest compression ratio accepted for a member bigger than `RATIO_FLOOR` bytes."""
RATIO_FLOOR = 1024 * 1024

_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5HLL")
_LOCAL = struct.Struct("<4s5H3L2H")


@dataclass
class Member:
    """One zip member as stored: raw local entry (header, data, descriptor) and central record."""

    name: str
    local: bytes
    central: bytes
    offset_at: int
    """Where `central` stores the local-header offset (4 bytes, or 8 in a zip64 extra)."""
    offset_width: int
    file_size: int
    compress_size: int


@dataclass
class Package:
    """A workbook file read into memory; members keep their stored bytes until replaced."""

    path: Path
    members: list[Member]
    comment: bytes
    stat: os.stat_result
    _zip: zipfile.ZipFile = field(repr=False)
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def __contains__(self, name: str) -> bool:
        return any(m.name == name for m in self.members)

    def read(self, name: str) -> bytes:
        """The member's uncompressed bytes (CRC-checked by zipfile)."""
        if name not in self._cache:
            try:
                self._cache[name] = self._zip.read(name)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise UnusableWorkbook(
                    f"{self.path.name}: the part {name} is damaged ({exc}); open the workbook in "
                    "Excel and save it again"
                ) from exc
        return self._cache[name]

    def read_text(self, name: str) -> str:
        try:
            return self.read(name).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnusableWorkbook(
                f"{self.path.name}: the part {name} is not UTF-8 XML; open the workbook in Excel "
                "and save it again as .xlsx"
            ) from exc

    def build(self, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
        """The package with `replaced` members' contents swapped in place and `added` appended.

        Every other member is copied with its original local header and compressed bytes.
        """
        unknown = set(replaced) - set(self.names)
        if unknown or set(added) & set(self.names):
            raise ValueError(f"cannot replace {sorted(unknown)} or add {sorted(added)}")
        stamp = self.members[0] if self.members else None
        entries = [
            _fresh_member(m.name, replaced[m.name], template=m) if m.name in replaced else m
            for m in self.members
        ]
        entries += [_fresh_member(name, data, template=stamp) for name, data in added.items()]
        out = io.BytesIO()
        offsets = []
        for entry in entries:
            offsets.append(out.tell())
            out.write(entry.local)
        cd_start = out.tell()
        for entry, offset in zip(entries, offsets, strict=True):
            at, width = entry.offset_at, entry.offset_width
            packed = struct.pack("<L" if width == 4 else "<Q", offset)
            out.write(entry.central[:at] + packed + entry.central[at + width :])
        cd_size = out.tell() - cd_start
        count, size = len(entries), len(self.comment)
        out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, count, count, cd_size, cd_start, size))
        out.write(self.comment)
        return out.getvalue()


def open_package(path: Path) -> Package:
    """Read a workbook file, refusing with a sentence what cannot be used safely."""
    name = path.name
    try:
        info = path.stat()  # before reading: a save in between is then noticed on writing
    except OSError:
        info = None
    data = read_file(path)
    assert info is not None  # read_file refused a file that cannot be stat'ed
    members, comment = _members(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableWorkbook(f"{name} is a damaged zip package ({exc})") from exc
    if [i.filename for i in archive.infolist()] != [m.name for m in members]:
        raise UnusableWorkbook(f"{name} is a damaged zip package (its directory is inconsistent)")
    return Package(path=path, members=members, comment=comment, stat=info, _zip=archive)


def _members(name: str, data: bytes) -> tuple[list[Member], bytes]:
    """Parse the central directory, enforcing the limits on count, size and compression ratio."""
    damaged = f"{name} is a damaged zip package; open it in Excel and save it again"
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + _EOCD.size > len(data):
        raise UnusableWorkbook(not_zip(name))
    _, _, _, _, count, cd_size, cd_offset, comment_len = _EOCD.unpack_from(data, eocd)
    comment = data[eocd + _EOCD.size : eocd + _EOCD.size + comment_len]
    cd_end = eocd
    locator = eocd - _ZIP64_LOCATOR.size
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        _, _, z64_offset, _ = _ZIP64_LOCATOR.unpack_from(data, locator)
        cd_end = locator - _ZIP64_EOCD.size
        if cd_end < 0 or data[cd_end : cd_end + 4] != b"PK\x06\x06":
            raise UnusableWorkbook(damaged)
        fields = _ZIP64_EOCD.unpack_from(data, cd_end)
        count, cd_size = fields[7], fields[8]
    if count > MAX_MEMBERS:
        raise UnusableWorkbook(
            f"{name} holds {count} parts; a workbook sheetokr reads has at most {MAX_MEMBERS}"
        )
    cd_start = cd_end - cd_size
    if cd_start < 0:
        raise UnusableWorkbook(damaged)
    shift = cd_start - cd_offset if count else 0  # bytes prepended to the zip, if any
    members: list[Member] = []
    local_offsets: list[int] = []
    position, total = cd_start, 0
    for _ in range(count):
        if data[position : position + 4] != b"PK\x01\x02" or position + _CENTRAL.size > cd_end:
            raise UnusableWorkbook(damaged)
        head = _CENTRAL.unpack_from(data, position)
        flags, csize, usize = head[3], head[8], head[9]
        name_len, extra_len, comment_len, offset = head[10], head[11], head[12], head[16]
        end = position + _CENTRAL.size + name_len + extra_len + comment_len
        central = data[position:end]
        raw_name = central[_CENTRAL.size : _CENTRAL.size + name_len]
        member_name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        extra = central[_CENTRAL.size + name_len : _CENTRAL.size + name_len + extra_len]
        usize, csize, offset, offset_at, width = _zip64_values(
            extra, _CENTRAL.size + name_len, usize, csize, offset
        )
        if flags & 0x1:
            raise UnusableWorkbook(
                f"{name} has encrypted parts; save it in Excel as .xlsx without a password"
            )
        total += usize
        if total > MAX_TOTAL_BYTES:
            raise UnusableWorkbook(
                f"{name} unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB; sheetokr "
                "refuses it as a possible zip bomb"
            )
        if usize > RATIO_FLOOR and usize > MAX_RATIO * max(csize, 1):
            raise UnusableWorkbook(
                f"{name}: the part {member_name} is compressed more than {MAX_RATIO}:1 "
                f"({usize} bytes from {csize}); sheetokr refuses it as a possible zip bomb"
            )
        members.append(Member(member_name, b"", central, offset_at, width, usize, csize))
        local_offsets.append(offset + shift)
        position = end
    if len({m.name for m in members}) != len(members):
        raise UnusableWorkbook(f"{name} is a damaged zip package (a part name appears twice)")
    order = sorted(range(len(members)), key=local_offsets.__getitem__)
    for rank, index in enumerate(order):
        member, start = members[index], local_offsets[index]
        stop = local_offsets[order[rank + 1]] if rank + 1 < len(order) else cd_start
        if start < 0 or data[start : start + 4] != b"PK\x03\x04" or start + _LOCAL.size > stop:
            raise UnusableWorkbook(damaged)
        head = _LOCAL.unpack_from(data, start)
        if start + _LOCAL.size + head[9] + head[10] + member.compress_size > stop:
            raise UnusableWorkbook(f"{name} is a damaged zip package (its parts overlap)")
        member.local = data[start:stop]
    return members, comment


def _zip64_values(
    extra: bytes, extra_at: int, usize: int, csize: int, offset: int
) -> tuple[int, int, int, int, int]:
    """Sizes and offset, taking the zip64 extra field into account, and where the offset is kept."""
    offset_at, width = 42, 4
    position = 0
    while position + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, position)
        if tag == 0x0001:
            at = position + 4
            if usize == 0xFFFFFFFF and at + 8 <= len(extra):
                usize = struct.unpack_from("<Q", extra, at)[0]
                at += 8
            if csize == 0xFFFFFFFF and at + 8 <= len(extra):
                csize = struct.unpack_from("<Q", extra, at)[0]
                at += 8
            if offset == 0xFFFFFFFF and at + 8 <= len(extra):
                offset = struct.unpack_from("<Q", extra, at)[0]
                offset_at, width = extra_at + at, 8
            break
        position += 4 + size
    return usize, csize, offset, offset_at, width


def _fresh_member(name: str, data: bytes, template: Member | None) -> Member:
    """A deflated member for `name`, keeping the date and attributes of `template`."""
    info = zipfile.ZipInfo(name)
    if template is not None:
        mtime, mdate = struct.unpack_from("<HH", template.central, 12)
        info.date_time = (
            (mdate >> 9) + 1980,
            max((mdate >> 5) & 0xF, 1),
            max(mdate & 0x1F, 1),
            mtime >> 11,
            (mtime >> 5) & 0x3F,
            (mtime & 0x1F) * 2,
        )
        info.external_attr = struct.unpack_from("<L", template.central, 38)[0]
        info.create_system = template.central[5]
    info.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, data)
    members, _ = _members(name, buffer.getvalue())
    return members[0]


# -- paths of parts ----------------------------------------------------------------------------


def part_path(source_part: str, target: str) -> str:
    """The zip member a relationship `target` of `source_part` points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = PurePosixPath(source_part).parent
    parts: list[str] = []
    for piece in (folder / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def rels_part(part: str) -> str:
    """The relationships part of `part`: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    pure = PurePosixPath(part)
    return str(pure.parent / "_rels" / f"{pure.name}.rels")


# -- safety of the file on disk ---------------------------------------------------------------


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$name`, `~$` over the first two letters) and LibreOffice leave."""
    name = path.name
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")
    return [path.with_name(c) for c in candidates]


def check_writable(path: Path) -> None:
    """Refuse a workbook that is open elsewhere or read-only, with what to do about it."""
    for lock in lock_files(path):
        if lock.exists():
            program = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"
            raise WorkbookLocked(
                f"{path.name} is open in {program} (its lock file {lock.name} is beside it); close "
                "the workbook there and run the command again"
            )
    mode = path.stat().st_mode
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not os.access(path, os.W_OK) or not mode & writable_bits:
        raise WorkbookLocked(
            f"{path.name} is read-only; make it writable (uncheck Read-only in its properties, or "
            f"chmod u+w '{path}') and run the command again"
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise WorkbookLocked(
            f"the folder of {path.name} is read-only, so the workbook cannot be replaced safely; "
            "move it to a folder you can write to"
        )


def replace_atomically(path: Path, data: bytes, expected: os.stat_result) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`.

    Refuses when the file changed on disk since it was read (`expected`), so a save made in the
    meantime is never overwritten.
    """
    now = path.stat()
    if (now.st_mtime_ns, now.st_size) != (expected.st_mtime_ns, expected.st_size):
        raise WorkbookLocked(
            f"{path.name} changed on disk while sheetokr was working on it; run the command again"
        )
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".sheetokr-", suffix=path.suffix)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, stat.S_IMODE(expected.st_mode))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
