"""Streamlit-facing helpers: the only part of the package that imports streamlit."""
