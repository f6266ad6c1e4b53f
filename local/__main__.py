import sys

from local.runner.cli import main

sys.exit(main())
