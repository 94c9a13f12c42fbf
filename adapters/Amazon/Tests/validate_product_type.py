#!/usr/bin/env python3
"""Validate listing attributes against an Amazon product type definition (product-type-PRODUCT.json).

Usage: validate_product_type.py --definition PATH [--offer-only] DOCUMENT_OR_DIRECTORY...

Each document is a putListingsItem body ({"productType", "requirements", "attributes"}) or a
JSON_LISTINGS_FEED message with "attributes"; its "attributes" object is validated. A feed document
({"header", "messages"}) has each message with attributes validated.

The definition's $schema is Amazon's meta-schema (draft 2019-09 plus the keywords selectors,
minUniqueItems, maxUniqueItems, maxUtf8ByteLength, editable, hidden, enumNames). It is validated with
jsonschema's Draft201909Validator directly, so the meta-schema is never fetched; the custom keywords are
unknown to jsonschema and ignored, which leaves every standard keyword (required, if/then, allOf, enum,
additionalProperties, minItems, maxLength, type, ...) checked.

--offer-only  the body is an offer on an existing ASIN (requirements LISTING_OFFER_ONLY). The file holds
              the LISTING requirements only, so the offer is validated against the definition with its
              top-level "required" replaced by the offer's own (merchant_suggested_asin,
              purchasable_offer) and every other keyword (properties, additionalProperties, and the allOf
              conditions that require condition_type, fulfillment_availability, merchant_shipping_group and
              an identifier) kept.

Prints one line per error and exits 1 if any document is invalid, 2 on a usage or setup problem.
"""
import argparse
import json
import os
import sys

try:
    from jsonschema import Draft201909Validator
except ImportError as error:  # pragma: no cover
    print(f"setup: {error}; run `pip install jsonschema`", file=sys.stderr)
    sys.exit(2)

OFFER_REQUIRED = ["merchant_suggested_asin", "purchasable_offer"]


def documents(arguments):
    for argument in arguments:
        if os.path.isdir(argument):
            for name in sorted(os.listdir(argument)):
                if name.endswith(".json"):
                    yield os.path.join(argument, name)
        else:
            yield argument


def attribute_sets(document):
    """(label, attributes) for each attribute set in a body, a message or a feed."""
    if "messages" in document:
        for message in document["messages"]:
            if "attributes" in message:
                yield f"message {message.get('messageId')} ({message.get('sku')})", message["attributes"]
    elif "attributes" in document:
        yield "attributes", document["attributes"]
    else:
        yield "document", None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--definition", required=True)
    parser.add_argument("--offer-only", action="store_true")
    parser.add_argument("paths", nargs="+")
    arguments = parser.parse_args()
    with open(arguments.definition, encoding="utf-8") as handle:
        schema = json.load(handle)
    if arguments.offer_only:
        schema = dict(schema)
        schema["required"] = OFFER_REQUIRED
    validator = Draft201909Validator(schema)
    invalid = 0
    checked = 0
    for path in documents(arguments.paths):
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        for label, attributes in attribute_sets(document):
            if attributes is None:
                print(f"{os.path.basename(path)}: no attributes to validate")
                invalid += 1
                continue
            checked += 1
            errors = sorted(validator.iter_errors(attributes), key=lambda error: list(error.absolute_path))
            if errors:
                invalid += 1
                for error in errors:
                    where = "/".join(str(part) for part in error.absolute_path) or "(attributes)"
                    print(f"{os.path.basename(path)} {label}: {where}: {error.message}")
    print(f"checked {checked} attribute sets, {invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
