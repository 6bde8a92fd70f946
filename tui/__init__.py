"""The application shell: the App, the command line, stylesheets and shared widgets."""

__version__ = "0.1.0"
