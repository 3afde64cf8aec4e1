"""Translation-memory and corpus formats: TMX, Moses, TSV, JSONL."""
