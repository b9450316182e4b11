"""``python -m colab_ext.drive.fusefs CONFIG.json``: mount Drive in this process."""

import sys

from .filesystem import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
