#!/usr/bin/env python3
"""Validates a JSON document against an official SP-API model or JSON schema.

Usage: validate_sp_api.py --schema PATH [--definition NAME] DOCUMENT.json

PATH is a JSON Schema file (e.g. listings-feed-schema-v2.json) or a Swagger 2.0 model
(e.g. listingsItems_2021-08-01.json); with --definition NAME the document is checked against
`#/definitions/NAME` of that file, resolving its `#/definitions/...` references.
Exits 0 when valid; 1 with the validation error on stderr; 2 on usage or file errors.
Needs the `jsonschema` package (`pip install -q jsonschema`).
"""
import argparse
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sp_api.py: the 'jsonschema' package is missing (pip install -q jsonschema)", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    parser = argparse.ArgumentParser(description="Validate a JSON document against an SP-API schema.")
    parser.add_argument("--schema", required=True, help="JSON Schema or Swagger 2.0 file")
    parser.add_argument("--definition", help="name under #/definitions to validate against")
    parser.add_argument("document", help="the JSON document to validate")
    args = parser.parse_args()
    try:
        with open(args.schema, encoding="utf-8") as handle:
            schema_file = json.load(handle)
        with open(args.document, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"validate_sp_api.py: {error}", file=sys.stderr)
        return 2

    if args.definition:
        definitions = schema_file.get("definitions", {})
        if args.definition not in definitions:
            print(f"validate_sp_api.py: no definition '{args.definition}' in {args.schema}", file=sys.stderr)
            return 2
        schema = {"$ref": f"#/definitions/{args.definition}", "definitions": definitions}
        validator_class = jsonschema.Draft4Validator  # Swagger 2.0 schemas are a draft-4 subset
    else:
        schema = schema_file
        validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)

    errors = sorted(validator_class(schema).iter_errors(document), key=lambda error: list(error.absolute_path))
    if errors:
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path) or "(document)"
            print(f"{location}: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
