"""The ways of running a submission's code a command offers: what runs at load (``--exec``) and where
``grader check`` runs it (``--runner``). Light to import: the command line declares its options with
these before it knows which command it runs."""

from __future__ import annotations

from typing import Literal

# definitions: only what the functions need; notebook: every top-level statement; auto: definitions, and
# the whole notebook again when a function needs what only skipped top-level code makes.
ExecMode = Literal["definitions", "notebook", "auto"]
EXEC_MODES: tuple[ExecMode, ...] = ("auto", "definitions", "notebook")

# How ``grader check`` may run the student's code: in the batch's sandbox, or in a plain process.
CheckRunner = Literal["auto", "sandbox", "fork", "here"]
CHECK_RUNNERS: tuple[CheckRunner, ...] = ("auto", "sandbox", "fork", "here")
