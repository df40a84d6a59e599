"""Accounts of the people offices serve, and « Mon espace »."""
