"""The public site: every page a fan, the media or an applicant sees, for every app."""
