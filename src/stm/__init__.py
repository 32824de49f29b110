"""stm: the Stadtteilmanagement toolkit."""

import os

__version__ = "0.1.0"

# stm uses no Pydantic plugins; not scanning installed packages for them saves startup time.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
