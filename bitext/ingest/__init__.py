"""Ingestion: everything between a file's bytes and a document of units.

``reader`` (decoding, PDF, DOCX) -> ``clean`` (furniture, footnotes, line joins)
-> ``structure`` (headings, numbered paragraphs, annexes) -> ``document``
(units with their sentences).
"""
