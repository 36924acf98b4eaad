"""A workshop file named like the standard library's random module."""
