"""Provider slots (plugin API 1.1): kinds of providers (the core's "sms", a module's own), providers registered by
modules, one chosen per office with its own settings. See docs/plugins.md « Providers chosen per office »."""
