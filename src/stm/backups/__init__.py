"""Backups and restores that cannot destroy the register.

Every file is written as a new file next to where it belongs, fsynced, and moved into
place with `os.replace`, so a kill or a full disk leaves either the old file or the new
one, never a mix.

- `backup_register`: a consistent snapshot. SQLite: the backup API into a new file.
  PostgreSQL: the same thing in the other direction, a SQLite register file holding
  every row, which `restore_register` reads back (and which stm can open as it is).
- `restore_register`: checks the source first (an stm register of a known schema that
  passes SQLite's integrity check) on a private copy, never opens the current register
  through stm (it may be the broken thing being repaired), keeps a safety copy of it,
  and replaces it holding the register's lock, so no other stm writes meanwhile. It ends
  in `after_restore`, the one step that re-applies what must survive a restore.
"""

from stm.backups.backup import backup_register, copy_rows, export_to_sqlite, model_tables
from stm.backups.restore import Restored, after_restore, check_source, restore_register

__all__ = [
    "Restored",
    "after_restore",
    "backup_register",
    "check_source",
    "copy_rows",
    "export_to_sqlite",
    "model_tables",
    "restore_register",
]
