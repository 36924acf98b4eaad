"""The bundled rubrics: TOML data files, shipped inside the distribution as ``grader.rubrics``."""
