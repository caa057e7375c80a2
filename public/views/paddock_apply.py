"""Entrants' pages (see public/urls/paddock.py)."""
