"""Reading sources: a content file's front-matter and body, the bibliography, glyph coverage."""
