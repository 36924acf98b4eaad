"""Key paths to TOML lines: tables, arrays of tables, dotted keys and values over several lines."""

from __future__ import annotations

from grader.toml_lines import key_lines, line_of

DOCUMENT = '''\
# a comment
id = "x"
notes = """
[[tasks]]
fake = 1
"""
sizes = [
  1,  # ] in a comment
  "]",
]

[hidden_cases]
m = [1, 2]

[[tasks]]
id = "a"

  [[tasks.checks]]
  id = "one"
  options = { rate = 0.1 }

[[tasks]]
"quoted key" = 1
site.name = "b"

  [[tasks.checks]]
  id = "first of b"

  [[tasks.checks]]
  id = "second of b"
'''


def test_each_key_path_has_its_line() -> None:
    lines = key_lines(DOCUMENT)
    assert lines["id"] == 2
    assert lines["notes"] == 3 and "fake" not in lines and lines["tasks"] == 15
    assert lines["sizes"] == 7
    assert lines["hidden_cases"] == 12 and lines["hidden_cases.m"] == 13
    assert lines["tasks[0]"] == 15 and lines["tasks[0].id"] == 16
    assert lines["tasks[0].checks[0]"] == 18 and lines["tasks[0].checks[0].options"] == 20
    assert lines["tasks[1].quoted key"] == 23 and lines["tasks[1].site.name"] == 24
    assert lines["tasks[1].checks[0].id"] == 27 and lines["tasks[1].checks[1].id"] == 30


def test_a_key_not_written_is_found_at_what_encloses_it() -> None:
    lines = key_lines(DOCUMENT)
    assert line_of(lines, "tasks[0].checks[0].options.rate") == 20
    assert line_of(lines, "tasks[1].params") == 22
    assert line_of(lines, "sizes[2]") == 7
    assert line_of(lines, "title") is None
