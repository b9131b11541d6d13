"""sheetokr: OKRs in the spreadsheets teams already own.

Importing the package loads nothing but the standard library; each medium (xlsx, Google Sheets,
Excel, the server) lives in its own subpackage and is imported only when used.
"""

__version__ = "0.1.0"
