"""Spreadsheets we write (list exports, pipeline, dashboard workbook) and their one cell rule."""
