"""`python -m diag`: the command line troubleshooter."""

import sys

from diag.cli import main

sys.exit(main())
