"""Imported once by the SBSYS export's forkserver (see `exports.sbsys._WORKER_MODULES`), before it
forks the rendering processes: the fonts are prepared here, once, and every worker starts with
them ready instead of preparing them itself."""

from __future__ import annotations

from .pdf import warm_fonts

try:
    warm_fonts()
except Exception:  # each worker prepares the fonts itself then (_warm_worker)
    pass
