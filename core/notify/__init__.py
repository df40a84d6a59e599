"""Notifications: email, SMS and webhooks through the outbox (public API)."""
