"""Fixtures shared by the page tests (AppTest)."""

import pytest


@pytest.fixture
def run_app(fixture_db, app_runner):
    """Run the app on the fixture database: ``run_app(page=..., **query)`` (see ``app_runner``)."""
    return app_runner(fixture_db)
