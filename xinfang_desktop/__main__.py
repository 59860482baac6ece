"""`python -m xinfang_desktop` runs the command line (the GUI when no command is given)."""

from xinfang_desktop.cli import main

raise SystemExit(main())
