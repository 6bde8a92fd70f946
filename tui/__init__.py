"""The application shell: the App, the command line, the worker queue and the stylesheet."""

from models import __version__

__all__ = ["__version__"]
