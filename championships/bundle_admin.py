"""Season bundle import (upload with a dry run) and export (download) in the back office."""


class SeasonBundleAdminMixin:
    """Adds the bundle import and export views to the championship admin."""
