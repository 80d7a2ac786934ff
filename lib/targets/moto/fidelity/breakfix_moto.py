"""Entry point of breakfix's embedded emulator: moto's server with the
fidelity patches in this folder applied first.

Usage: python3 breakfix_moto.py [-H HOST] [-p PORT]   (moto_server's options)

Each patch module makes moto honour a property or API behaviour that AWS
documents; none of them forces an outcome. See README.md beside this file.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import patches  # noqa: E402  (applies every patch on import)


def main(argv=None):
    from moto.server import main as moto_main

    patches.apply_all()
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
