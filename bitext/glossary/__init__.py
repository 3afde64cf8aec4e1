"""Terminology: bilingual term extraction and TBX glossaries."""
