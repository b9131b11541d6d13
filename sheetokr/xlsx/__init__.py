"""The only place that knows the .xlsx format: reading (python-calamine), the template generator
(openpyxl) and the lossless patcher Refresh uses."""
