"""The demo data of `make run`: it knows every app, and no app imports it."""
