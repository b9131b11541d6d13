"""The workbook contract shared by every medium: layout, plain grids of cell values, grid -> model.

PURE: standard library only. xlsx files, Google Sheets and xlwings payloads all become a `Grid`
first; one parser turns a grid into the model.
"""
