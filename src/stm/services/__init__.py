"""The domain: plain functions over a Session. No Typer, no Rich, no printing.

Services raise `stm.errors` exceptions; the CLI maps them to exit codes. Renderers get
plain dicts from here, never a session.
"""
