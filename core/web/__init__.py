"""The web application: app factory, page shell, error pages."""

from core.web.app import create_app

__all__ = ["create_app"]
