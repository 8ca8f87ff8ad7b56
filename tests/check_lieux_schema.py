#!/usr/bin/env python3
"""check_lieux_schema.py: validates a places file against a Table Schema.

    check_lieux_schema.py [--schema FILE] [--quiet] FILE...

Checks what the national validator of the "schéma des lieux de médiation
numérique" checks, offline: the header is exactly the schema's fields in the
schema's order, every row has that many cells, required fields are filled,
values have the field's type (string, number, integer, date, boolean), match
its pattern (the whole value), are in its enum, respect minLength/maxLength,
minimum/maximum, and unique / primaryKey fields do not repeat. Missing
values are the schema's missingValues (default: the empty string).

FILE is a CSV export (UTF-8, comma, RFC 4180 quoting) or a JSON export
(an array of objects: the same field names, in the same order; null is a
missing value, a list is checked as its items joined with "|", the
standard's list separator). Prints each problem as FILE:LINE: field: what;
exits 0 when every file is valid, 1 when one is not, 2 on bad usage or an
unreadable schema.

Why Python and not bash, the language of the CLI tests: a CSV record may
span lines (quoted newlines), the patterns are regular expressions over
Unicode text with non-capturing groups, and maxLength counts characters, not
bytes; none of that is reliable in bash, awk or grep. python3 is already a
dependency of setup.sh and of the tests (0201, 0202 and
tests/data/lieux/gen_lieux.py use it). Only the standard library is used
(csv, json, re, datetime): no frictionless package, no network.
"""
import argparse
import csv
import datetime
import io
import json
import os
import re
import sys

DEFAULT_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "schema",
                              "schema.json")
# Table Schema "number" with the default decimalChar "." and no groupChar.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|INF|-INF")
INTEGER = re.compile(r"[+-]?\d+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
MAX_SHOWN = 50


class Field:
    """One schema field and its compiled constraints."""

    def __init__(self, d):
        self.name = d["name"]
        self.type = d.get("type", "string")
        self.format = d.get("format", "default")
        c = d.get("constraints", {})
        self.required = bool(c.get("required", False))
        self.unique = bool(c.get("unique", False))
        self.pattern = re.compile(c["pattern"]) if "pattern" in c else None
        self.pattern_text = c.get("pattern")
        self.enum = c.get("enum")
        self.min_length = c.get("minLength")
        self.max_length = c.get("maxLength")
        self.minimum = c.get("minimum")
        self.maximum = c.get("maximum")
        if self.type not in ("string", "number", "integer", "date", "boolean", "any"):
            raise ValueError(f"field {self.name}: type {self.type} is not supported")
        if self.type == "date" and self.format != "default":
            raise ValueError(f"field {self.name}: date format {self.format} is not supported")

    def problems(self, v):
        """What is wrong with the present (non-missing) value v."""
        out = []
        num = None
        if self.type == "number":
            if not NUMBER.fullmatch(v):
                out.append(f"\"{v}\" is not a number")
            else:
                num = float(v)
        elif self.type == "integer":
            if not INTEGER.fullmatch(v):
                out.append(f"\"{v}\" is not an integer")
            else:
                num = int(v)
        elif self.type == "date":
            ok = DATE.fullmatch(v) is not None
            if ok:
                try:
                    datetime.date(int(v[:4]), int(v[5:7]), int(v[8:]))
                except ValueError:
                    ok = False
            if not ok:
                out.append(f"\"{v}\" is not a date (YYYY-MM-DD)")
        elif self.type == "boolean":
            if v not in TRUE_VALUES and v not in FALSE_VALUES:
                out.append(f"\"{v}\" is not a boolean")
        if self.pattern is not None and not self.pattern.fullmatch(v):
            out.append(f"\"{v}\" does not match the pattern {self.pattern_text}")
        if self.enum is not None and v not in self.enum:
            out.append(f"\"{v}\" is not one of the allowed values")
        if self.min_length is not None and len(v) < self.min_length:
            out.append(f"{len(v)} characters, fewer than {self.min_length}")
        if self.max_length is not None and len(v) > self.max_length:
            out.append(f"{len(v)} characters, more than {self.max_length}")
        if num is not None and self.minimum is not None and num < self.minimum:
            out.append(f"{v} is below the minimum {self.minimum}")
        if num is not None and self.maximum is not None and num > self.maximum:
            out.append(f"{v} is above the maximum {self.maximum}")
        return out


class Schema:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        self.title = d.get("title", path)
        self.version = d.get("version", "")
        self.fields = [Field(x) for x in d["fields"]]
        self.names = [x.name for x in self.fields]
        self.missing = set(d.get("missingValues", [""]))
        pk = d.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else list(pk)
        for x in self.fields:
            if x.name in pk:
                x.required = x.unique = True


class Report:
    def __init__(self, path, quiet):
        self.path = path
        self.quiet = quiet
        self.count = 0

    def add(self, line, where, what):
        self.count += 1
        if not self.quiet and self.count <= MAX_SHOWN:
            print(f"{self.path}:{line}: {where}: {what}")


def check_header(schema, header, rep, line):
    """Field order is checked by name at each position: a validator reads by position."""
    if header == schema.names:
        return True
    for i in range(max(len(header), len(schema.names))):
        got = header[i] if i < len(header) else "(nothing)"
        want = schema.names[i] if i < len(schema.names) else "(nothing)"
        if got != want:
            rep.add(line, f"column {i + 1}", f"header \"{got}\", the schema has \"{want}\" here")
            break
    missing = [n for n in schema.names if n not in header]
    extra = [n for n in header if n not in schema.names]
    if missing:
        rep.add(line, "header", "missing field(s): " + ", ".join(missing))
    if extra:
        rep.add(line, "header", "field(s) not in the schema: " + ", ".join(extra))
    return False


def check_values(schema, line, values, seen, rep):
    for field, v in zip(schema.fields, values):
        if v is None or v in schema.missing:
            if field.required:
                rep.add(line, field.name, "required, empty")
            continue
        for p in field.problems(v):
            rep.add(line, field.name, p)
        if field.unique:
            first = seen[field.name].setdefault(v, line)
            if first != line:
                where = f"line {first}" if isinstance(first, int) else first
                rep.add(line, field.name, f"\"{v}\" repeats the value of {where} (unique)")


def check_csv(schema, path, rep):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        rep.add(1, "file", "starts with a byte-order mark")
        text = text[1:]
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    seen = {x.name: {} for x in schema.fields}
    n = 0
    start = 1
    try:
        header = next(rows, None)
        if header is None:
            rep.add(1, "file", "empty, no header")
            return 0
        if not check_header(schema, header, rep, 1):
            return 0
        start = rows.line_num + 1
        for row in rows:
            n += 1
            if len(row) != len(schema.fields):
                rep.add(start, "row", f"{len(row)} cells, the schema has {len(schema.fields)} fields")
            else:
                check_values(schema, start, row, seen, rep)
            start = rows.line_num + 1
    except csv.Error as e:
        rep.add(start, "file", f"not valid CSV: {e}")
    return n


def json_value(v):
    if v is None:
        return None
    if isinstance(v, list):
        return "|".join(str(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def check_json(schema, path, rep):
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            rep.add(e.lineno, "file", f"not valid JSON: {e.msg}")
            return 0
    if not isinstance(data, list):
        rep.add(1, "file", "not an array of places")
        return 0
    seen = {x.name: {} for x in schema.fields}
    for i, obj in enumerate(data, 1):
        if not isinstance(obj, dict):
            rep.add(f"place {i}", "place", "not an object")
            continue
        keys = list(obj)
        if not check_header(schema, keys, rep, f"place {i}"):
            continue
        check_values(schema, f"place {i}", [json_value(obj[k]) for k in schema.names], seen, rep)
    return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schema", default=DEFAULT_SCHEMA)
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    try:
        schema = Schema(a.schema)
    except (OSError, ValueError, KeyError, re.error) as e:
        print(f"{a.schema}: cannot use this schema: {e}", file=sys.stderr)
        return 2
    bad = 0
    for path in a.files:
        rep = Report(path, a.quiet)
        try:
            with open(path, "rb") as f:
                first = f.read(64).lstrip()
            is_json = first.startswith(b"[")
            n = check_json(schema, path, rep) if is_json else check_csv(schema, path, rep)
        except (OSError, UnicodeDecodeError) as e:
            rep.add(0, "file", f"cannot read: {e}")
            n = 0
        if rep.count:
            bad += 1
            print(f"{path}: {rep.count} problem(s) in {n} place(s) against {schema.title} "
                  f"{schema.version}")
        elif not a.quiet:
            print(f"{path}: {n} place(s) valid against {schema.title} {schema.version}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
