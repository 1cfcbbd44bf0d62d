"""JUnit XML: one test case per checked file, for CI test-report viewers.

A file fails when it has findings at or above ``fail-on`` (the same rule as
the exit code); every finding is listed in the failure text; findings below
``fail-on`` go to ``system-out``.  Input errors are ``<error>`` elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from ..findings import Report
from ..fsio import display_path
from . import FormatOptions


def _line(path: str, f: object) -> str:
    sugg = f" (suggestion: {' | '.join(f.suggestions)})" if f.suggestions else ""  # type: ignore[attr-defined]
    return f"{path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}{sugg}"  # type: ignore[attr-defined]


def junit_tree(report: Report) -> ET.Element:
    suites = ET.Element("testsuites", name="mtlint")
    suite = ET.SubElement(suites, "testsuite", name="mtlint")
    tests = failures = errors = 0
    for r in report.files:
        tests += 1
        shown = display_path(r.path)
        case = ET.SubElement(suite, "testcase", classname="mtlint", name=shown, file=shown)
        failing = [f for f in r.findings if f.severity >= report.fail_on]
        other = [f for f in r.findings if f.severity < report.fail_on]
        fatal = [e for e in r.errors if e.fatal]
        if fatal:
            errors += 1
            el = ET.SubElement(case, "error", message=fatal[0].message, type=fatal[0].kind)
            el.text = "\n".join(f"{display_path(e.path)}: {e.message}" for e in fatal)
        elif failing:
            failures += 1
            el = ET.SubElement(
                case, "failure", message=f"{len(failing)} finding{'s' if len(failing) != 1 else ''} at or above {report.fail_on}", type="mtlint"
            )
            el.text = "\n".join(_line(shown, f) for f in failing)
        notes = [_line(shown, f) for f in other] + [f"note: {e.message}" for e in r.errors if not e.fatal]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    for e in report.notices:
        tests += 1
        case = ET.SubElement(suite, "testcase", classname="mtlint", name=display_path(e.path) or "mtlint")
        if e.fatal:
            errors += 1
            ET.SubElement(case, "error", message=e.message, type=e.kind)
        else:
            ET.SubElement(case, "system-out").text = f"note: {e.message}"
    for el in (suites, suite):
        el.set("tests", str(tests))
        el.set("failures", str(failures))
        el.set("errors", str(errors))
    return suites


class JunitFormatter:
    name = "junit"
    machine = True

    def render(self, report: Report, stream: IO[str], options: FormatOptions) -> None:
        tree = junit_tree(report)
        ET.indent(tree)
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(ET.tostring(tree, encoding="unicode"))
        stream.write("\n")


JUNIT = JunitFormatter()
