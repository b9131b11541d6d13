"""The OKR engine: model, value reading, scoring, roll-up, checks and check-ins.

PURE: imports the standard library only (a test holds it to that), so the same arithmetic runs in
the CLI, the server, the Excel functions and anywhere else without loading a spreadsheet library.
"""
