"""The build: editions x outputs, dependency files per output, atomic writes, progress."""
