"""Developer tools: live preview, proof pages."""
