#!/usr/bin/env python
"""Django's command-line utility for Vigil."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from core.history import command_context

    # Whatever a command writes is recorded in history with channel "command".
    with command_context(sys.argv):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
