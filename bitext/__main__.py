"""``python -m bitext``."""

from bitext.cli import main

main()
