pytest_plugins = ["core.testing.fixtures", "core.testing.plugin_fixtures"]
