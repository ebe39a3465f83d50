"""Explore: filters, their URL form, display tables and spreadsheet exports."""
