"""Login, sessions, API tokens, password reset, throttling, audit log and role guards."""
