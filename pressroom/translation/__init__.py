"""Translation tools: status, QA against the source, commands."""
