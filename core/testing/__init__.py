"""Test support for Socle and for plugin authors (a pytest plugin: `pytest_plugins = ["core.testing.fixtures"]`)."""
