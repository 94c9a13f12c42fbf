#!/usr/bin/env python3
"""Prints the N slowest tests of Swift Testing's xUnit reports: slowest-tests.py N FILE..."""
import sys
import xml.etree.ElementTree as ElementTree

count = int(sys.argv[1])
cases = []
for path in sys.argv[2:]:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        continue
    for case in root.iter("testcase"):
        cases.append((float(case.get("time", "0")), f'{case.get("classname")}.{case.get("name")}'))
cases.sort(reverse=True)
print(f"Slowest {min(count, len(cases))} of {len(cases)} tests:")
for seconds, name in cases[:count]:
    print(f"  {seconds:8.1f} s  {name}")
