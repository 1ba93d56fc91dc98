"""Checks SARIF logs against a JSON schema (tests/sarif.rs runs it with the official SARIF 2.1.0
schema that the SARIF multitool's npm package ships; see .ci/sarif-validators).

usage: schema_check.py SCHEMA LOG...
Prints one line per violation, `LOG: $.json.path: message`, and exits 1 if there was any.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        for error in validator.iter_errors(log):
            print(f"{path}: {error.json_path}: {error.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
