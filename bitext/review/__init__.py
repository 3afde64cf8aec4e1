"""The review workbench: translators fix alignments, terminologists decide terms.

``bitext review OUT`` serves a local web page over a ``bitext build`` output
folder. :mod:`bitext.review.db` stores the decisions (SQLite, an event log
keyed by content hashes), :mod:`bitext.review.model` replays them over the
build's outputs, :mod:`bitext.review.workbench` ties documents, states and the
database together, :mod:`bitext.review.app` is the web app (needs
``bitext[review]``: Starlette and uvicorn) and :mod:`bitext.review.export`
writes the reviewed TMX, JSONL, Moses and TBX files and the change log.
"""
