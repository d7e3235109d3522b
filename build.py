#!/usr/bin/env python3
"""Build the publications: see README.md, or run with --help."""

import sys

from pressroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
