"""taller-grader: grade the NumPy workshops by running student functions against reference ones."""

__version__ = "0.1.0"

__all__ = ["__version__"]
