#!/usr/bin/env python3
"""Validate JSON documents against an official SP-API model.

Usage: validate_sp_api.py --schema PATH [--definition NAME] DOCUMENT_OR_DIRECTORY...

--schema      a JSON Schema file (listings-feed-schema-v2.json) or a swagger model
              (listingsItems_2021-08-01.json)
--definition  validate against `#/definitions/NAME` of the schema file (swagger models)

Every other *.json file next to the schema is registered by its `$id` and by its file name, so
relative `$ref`s between Amazon's schema files resolve. A directory argument validates every
*.json file in it. Prints one line per invalid document and exits 1 if any is invalid, 2 on a
usage or setup problem, 0 when all are valid.
"""
import argparse
import json
import os
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7
except ImportError as error:  # pragma: no cover
    print(f"setup: {error}; run `pip install jsonschema`", file=sys.stderr)
    sys.exit(2)


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def registry_for(schema_path):
    """Every JSON file in the schema's directory, by $id and by file URI/name."""
    directory = os.path.dirname(os.path.abspath(schema_path))
    resources = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(directory, name)
        try:
            contents = load(path)
        except (OSError, ValueError):
            continue
        if not isinstance(contents, dict):
            continue
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        resources.append((name, resource))
        resources.append(("file://" + path, resource))
        if isinstance(contents.get("$id"), str):
            resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


def documents(arguments):
    for argument in arguments:
        if os.path.isdir(argument):
            for name in sorted(os.listdir(argument)):
                if name.endswith(".json"):
                    yield os.path.join(argument, name)
        else:
            yield argument


def main():
    parser = argparse.ArgumentParser(description="Validate documents against an SP-API model.")
    parser.add_argument("--schema", required=True)
    parser.add_argument("--definition")
    parser.add_argument("documents", nargs="+")
    options = parser.parse_args()

    root = load(options.schema)
    base_uri = "file://" + os.path.abspath(options.schema)
    if options.definition:
        if options.definition not in root.get("definitions", {}):
            print(f"setup: no definition {options.definition} in {options.schema}", file=sys.stderr)
            return 2
        schema = {"$ref": f"#/definitions/{options.definition}", "definitions": root["definitions"]}
    else:
        schema = dict(root)
    schema.setdefault("$id", base_uri)
    registry = registry_for(options.schema)
    validator = jsonschema.Draft7Validator(schema, registry=registry)

    checked = 0
    failed = 0
    for path in documents(options.documents):
        checked += 1
        try:
            document = load(path)
        except ValueError as error:
            failed += 1
            print(f"{path}: not JSON: {error}")
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            first = errors[0]
            where = "/".join(str(part) for part in first.absolute_path)
            print(f"{path}: {len(errors)} error(s); first at /{where}: {first.message[:300]}")
    if checked == 0:
        print("setup: no documents given", file=sys.stderr)
        return 2
    print(f"{checked - failed} of {checked} documents valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
