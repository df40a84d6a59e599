"""Organisations, offices, users and members: who works where, with which role."""
