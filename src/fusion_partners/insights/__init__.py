"""Insights: the analysis behind the landscape charts, the charts, and their files."""
