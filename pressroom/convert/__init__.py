"""Conversion: pandoc with our Lua filters, then the Jinja composition of the page."""
