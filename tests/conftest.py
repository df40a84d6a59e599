pytest_plugins = ["core.testing.fixtures", "core.testing.browser", "core.testing.plugin_fixtures"]
