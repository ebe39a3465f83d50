"""Fusion Partner Finder core: data, queries and formatting with no user-interface imports."""

__version__ = "0.1.0"
