#!/usr/bin/env python3
"""One lesson's result from the grader's results.json, for GitHub Classroom.

    lesson_points.py results.json 01

Prints "lesson 01: S / M points" and each failed test, and exits 0 only when the lesson
has full marks: a GitHub Classroom grader step gives its points all or nothing.
"""
import json
import sys

path, lesson = sys.argv[1], sys.argv[2].zfill(2)
results = json.load(open(path))
tests = [t for t in results.get("tests", []) if str(t.get("number", "")).split(".")[0].zfill(2) == lesson]
score = sum(t.get("score", 0) for t in tests)
max_score = sum(t.get("max_score", 0) for t in tests)
print(f"lesson {lesson}: {score:g} / {max_score:g} points")
for t in tests:
    if t.get("status") != "passed":
        print(f"  failed: {t['name']}: {t.get('output', '')[:300]}")
sys.exit(0 if tests and score == max_score else 1)
