"""Forms of the entrants' pages: team, invitations, drivers, documents, applications."""
