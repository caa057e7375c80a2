"""Talent Pool models arrive with the Talent Pool issue; the app exists so the layout is fixed."""
