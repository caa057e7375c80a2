"""Back office of the entrants' side: entry windows, the review of applications, fees, team
accounts and drivers' documents, and the administrative checks at each meeting."""
