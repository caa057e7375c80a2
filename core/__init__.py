"""Plumbing every app shares; it imports no app of the project."""
