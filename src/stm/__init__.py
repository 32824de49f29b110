"""stm: the Stadtteilmanagement toolkit."""

__version__ = "0.1.0"
