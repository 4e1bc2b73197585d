#!/usr/bin/env python3
"""Checks the spec's JSON Schema against specs, as an editor would use it.

    tests/gen_schema.py SCHEMA VALID.yaml... -- INVALID.yaml...

Every VALID spec must validate and every INVALID one must not (they are specs dfopt rejects for
their shape: unknown keys, wrong types, missing keys). Prints each failure, then a count.
"""
import json
import sys

import jsonschema
import yaml


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    sep = rest.index("--") if "--" in rest else len(rest)
    valid, invalid = rest[:sep], rest[sep + 1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failures = 0
    for path, want in [(p, True) for p in valid] + [(p, False) for p in invalid]:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        errors = list(validator.iter_errors(doc))
        if want and errors:
            failures += 1
            print(f"{path}: the schema rejects it: {errors[0].message}")
        elif not want and not errors:
            failures += 1
            print(f"{path}: the schema accepts it, dfopt does not")
    print(f"{len(valid)} specs accepted and {len(invalid)} rejected as expected, "
          f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
