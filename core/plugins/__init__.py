"""The plugin loader and manager (internal; plugins use `core.plugin_api`)."""

from core.plugins.manager import PluginManager
from core.plugins.records import PluginError, PluginRecord, PluginStatus

__all__ = ["PluginError", "PluginManager", "PluginRecord", "PluginStatus"]
