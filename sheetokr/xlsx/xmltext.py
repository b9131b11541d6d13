"""Text inside worksheet XML: entities, and Excel's _xHHHH_ escapes for characters XML 1.0
cannot hold. Used when the patcher reads and writes cell text."""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")
_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def escape(text: str) -> str:
    """Text for an XML element, with Excel's _xHHHH_ escapes for what XML 1.0 cannot hold."""
    text = _XESCAPE.sub(lambda m: f"_x005F_x{m.group(1)}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def decode_xstring(text: str) -> str:
    """Text with Excel's _xHHHH_ escapes turned back into characters."""
    return _XESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def unescape(text: str) -> str:
    def entity(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        return chr(int(name[1:])) if name.startswith("#") else _NAMED[name]

    text = _ENTITY.sub(entity, text)
    return _XESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
