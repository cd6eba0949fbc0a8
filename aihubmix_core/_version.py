"""The package version, kept in one place for the User-Agent and the distribution."""

__version__ = "0.1.0"
