"""Imported once by the SBSYS export's forkserver (see `exports.sbsys._WORKER_MODULES`), before it
forks the rendering processes: the fonts are prepared here, once, and every worker starts with
them ready instead of preparing them itself."""

from __future__ import annotations

import gc

from .pdf import warm_fonts

try:
    warm_fonts()
except Exception:  # each worker prepares the fonts itself then (_warm_worker)
    pass
# Everything loaded so far lives as long as the processes: the garbage collector of each worker
# (a fork of this process) can leave it alone.
gc.freeze()
