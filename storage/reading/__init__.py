"""Floor 2 of storage: text, OCR and document metadata of every stored file, read in the
background in worker processes with memory and time limits (design.md, Reading documents)."""
