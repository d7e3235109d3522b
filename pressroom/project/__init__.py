"""Project configuration: project, brand and locale files, checked against their schemas."""
