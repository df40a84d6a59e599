"""Socle's built-in modules. Each registers through the `socle.plugins` entry point, like any third party's."""
