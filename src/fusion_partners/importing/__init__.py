"""Importing rosters and member lists: reading files, mapping, duplicates, plan, apply, undo."""
