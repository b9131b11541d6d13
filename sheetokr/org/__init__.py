"""Organisation-level views that are not web pages: what needs attention, the alignment tree,
the weekly trend rebuilt from check-ins, and the org workbook (`org.workbook`, openpyxl)."""
