#!/usr/bin/env python3
"""Validate JSON documents against one schema of an OpenAPI 3 contract.

Usage: validate_openapi.py SPEC SCHEMA DOCUMENT... [--override Schema.property=JSON]...

SPEC is the contract (e.g. ../shared/specs/ebay/sell_inventory_v1_oas3.json), SCHEMA a name under
components/schemas (e.g. InventoryItem), DOCUMENT files holding one JSON value each. References
`#/components/schemas/...` resolve inside SPEC. Validation is strict: an object property the contract
does not declare is an error (OpenAPI schemas leave additionalProperties open, which would let a
misspelt key pass). --override replaces one property's schema where the contract's declared type
contradicts its own documentation; every override is printed, so none is silent.

Exit status: 0 when every document is valid, 1 when any is not (each error printed), 2 on usage errors.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_openapi.py: the jsonschema package is missing (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)


def strict(node):
    """Closes every object schema that lists properties (no undeclared keys)."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)


def main(argv):
    overrides = []
    args = []
    index = 0
    while index < len(argv):
        if argv[index] == "--override" and index + 1 < len(argv):
            overrides.append(argv[index + 1])
            index += 2
        else:
            args.append(argv[index])
            index += 1
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    spec_path, schema_name, documents = args[0], args[1], args[2:]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    schemas = spec.get("components", {}).get("schemas", {})
    if schema_name not in schemas:
        print(f"validate_openapi.py: no schema {schema_name} in {spec_path}", file=sys.stderr)
        return 2
    for override in overrides:
        target, _, replacement = override.partition("=")
        owner, _, prop = target.partition(".")
        if owner not in schemas or prop not in schemas[owner].get("properties", {}):
            print(f"validate_openapi.py: override {target} names no property of the contract", file=sys.stderr)
            return 2
        schemas[owner]["properties"][prop] = json.loads(replacement)
        print(f"override: {target} := {replacement}")
    strict(schemas)
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": schemas}}
    validator = jsonschema.Draft7Validator(root)
    failures = 0
    for path in documents:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: {schema_name} at /{location}: {error.message}")
        failures += 1 if errors else 0
    print(f"{len(documents) - failures} of {len(documents)} documents valid against {schema_name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
