"""Reference NumPy implementations of the workshops, with the slides' signatures."""
