"""The API version and pluggy's markers for project "socle"."""

import pluggy

PLUGIN_API_VERSION = "1.4"
PROJECT_NAME = "socle"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
