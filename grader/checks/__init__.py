"""The check kinds a rubric can use, registered by name."""

from grader.checks import gradients, outputs, training
from grader.checks.context import CaseVerdict, TaskContext
from grader.checks.registry import CHECK_KINDS, CheckKind, prefetch_cases, register, run_check

__all__ = [
    "CHECK_KINDS",
    "CaseVerdict",
    "CheckKind",
    "TaskContext",
    "gradients",
    "outputs",
    "prefetch_cases",
    "register",
    "run_check",
    "training",
]
