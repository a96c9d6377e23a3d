"""heard import-cases FILE.csv: another name for ``heard import-legacy`` (the words of issue 12)."""

from __future__ import annotations

from importlib import import_module

# The module's name has a hyphen (it is the command's name), so it is imported by name.
Command = import_module("heard.channels.management.commands.import-legacy").Command
