"""See it before you send it: page thumbnails, a static HTML gallery and watch mode.

* :mod:`.thumbnails` renders every page and slide to PNG (PDF with pypdfium2; DOCX and
  PPTX through a LibreOffice PDF rendition), cached by the output's sha256 under
  ``<out>/<study-id>/.preview/``.
* :mod:`.gallery` writes ``<out>/index.html`` (and one index per batch stage).
* :mod:`.watch` rebuilds on changes to the spec, the layouts or the brand kit.
* :mod:`.cli` adds the ``preview`` and ``watch`` commands and the ``--preview`` hook.
"""

from __future__ import annotations

PREVIEW_DIRNAME = ".preview"
INDEX_NAME = "index.html"
