import Foundation
import JSONSchema
import ProcessTestSupport
import Testing

/// ``JSONSchema`` against Amazon's official `PRODUCT` product type definition
/// (`../shared/specs/amazon-sp-api/product-type-PRODUCT.json`), each verdict checked against Python's
/// `jsonschema` (Draft 2019-09) — an independent validator — run on the same payloads.
struct ProductTypeDefinitionTests {
    static let definition = "../shared/specs/amazon-sp-api/product-type-PRODUCT.json"

    /// A listing that Amazon's definition accepts (checked by Python's `jsonschema` below too).
    static let valid = #"""
        {
         "item_name": [
          {
           "value": "Agra Petha 500 g",
           "language_tag": "en_US",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "brand": [
          {
           "value": "Panchhi",
           "language_tag": "en_US",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "bullet_point": [
          {
           "value": "Soft ash-gourd sweet from Agra",
           "language_tag": "en_US",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "color": [
          {
           "value": "White",
           "language_tag": "en_US",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "country_of_origin": [
          {
           "value": "IN",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "item_type_keyword": [
          {
           "value": "candy",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "product_description": [
          {
           "value": "Hand-made in Agra.",
           "language_tag": "en_US",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "supplier_declared_dg_hz_regulation": [
          {
           "value": "not_applicable",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "externally_assigned_product_identifier": [
          {
           "type": "ean",
           "value": "8901234567894",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "batteries_required": [
          {
           "value": false,
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "condition_type": [
          {
           "value": "new_new",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "item_package_dimensions": [
          {
           "length": {
            "value": 20,
            "unit": "centimeters"
           },
           "width": {
            "value": 15,
            "unit": "centimeters"
           },
           "height": {
            "value": 8,
            "unit": "centimeters"
           },
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "item_package_weight": [
          {
           "value": 0.6,
           "unit": "kilograms",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ],
         "fulfillment_availability": [
          {
           "fulfillment_channel_code": "DEFAULT",
           "quantity": 5
          }
         ],
         "merchant_shipping_group": [
          {
           "value": "legacy-template-id",
           "marketplace_id": "ATVPDKIKX0DER"
          }
         ]
        }
        """#

    /// Variants of ``valid``, by what they change.
    static func variants() throws -> [(name: String, payload: JSONValue)] {
        guard case .object(let base) = try JSONValue(parsing: valid) else { return [] }
        func without(_ key: String) -> JSONValue { .object(base.filter { $0.key != key }) }
        func with(_ key: String, _ json: String) throws -> JSONValue {
            var copy = base
            copy[key] = try JSONValue(parsing: json)
            return .object(copy)
        }
        let market = #""marketplace_id": "ATVPDKIKX0DER""#
        return [
            ("valid", .object(base)),
            ("empty", .object([:])),
            ("no bullet point", without("bullet_point")),
            ("no identifier, no exemption", without("externally_assigned_product_identifier")),
            (
                "an identifier exemption instead of an identifier",
                try with("supplier_declared_has_product_identifier_exemption", #"[{"value": true, \#(market)}]"#)
                    .removing("externally_assigned_product_identifier")
            ),
            (
                "a dangerous-goods value outside the enum",
                try with("supplier_declared_dg_hz_regulation", #"[{"value": "nope", \#(market)}]"#)
            ),
            (
                "a number as the item name",
                try with("item_name", #"[{"value": 42, "language_tag": "en_US", \#(market)}]"#)
            ),
            ("an attribute the definition does not know", try with("audience", #"[{"value": "adults", \#(market)}]"#)),
            ("an empty bullet point list", try with("bullet_point", "[]")),
        ]
    }

    @Test(
        "every verdict on Amazon's PRODUCT definition agrees with Python's jsonschema, and the valid listing is valid"
    )
    func verdictsAgreeWithAnIndependentValidator() async throws {
        let schema = try JSONSchema(parsing: Data(contentsOf: URL(fileURLWithPath: Self.definition)))
        let variants = try Self.variants()
        let theirs = try await Self.pythonVerdicts(variants.map(\.payload))
        #expect(theirs.count == variants.count)
        for (variant, python) in zip(variants, theirs) {
            let ours = schema.validate(variant.payload)
            #expect(
                ours.isEmpty == python.valid,
                "\(variant.name): ours \(ours.prefix(4)), Python's \(python.required)"
            )
            let ourRequired = Set(ours.filter { $0.keyword == "required" }.compactMap(\.topLevelProperty))
            #expect(ourRequired == python.required, "\(variant.name): missing attributes")
        }
        #expect(schema.validate(variants[0].payload).isEmpty, "the valid listing")
    }

    @Test("a missing attribute is named with Amazon's title for it")
    func missingAttributeCarriesAmazonsTitle() throws {
        let schema = try JSONSchema(parsing: Data(contentsOf: URL(fileURLWithPath: Self.definition)))
        let violations = schema.validate(try Self.variants()[2].payload)
        let bullet = try #require(violations.first { $0.topLevelProperty == "bullet_point" })
        #expect(bullet.keyword == "required")
        #expect(bullet.title == "Bullet Point")
        #expect(bullet.message == "bullet_point is required")
    }

    @Test("maxUniqueItems: one merchant shipping group per marketplace, as Amazon's sample validators read it")
    func maxUniqueItemsCountsSelectorCombinations() throws {
        let schema = try JSONSchema(parsing: Data(contentsOf: URL(fileURLWithPath: Self.definition)))
        guard case .object(var payload) = try JSONValue(parsing: Self.valid) else { return }
        payload["merchant_shipping_group"] = try JSONValue(
            parsing:
                #"[{"value": "a", "marketplace_id": "ATVPDKIKX0DER"}, {"value": "b", "marketplace_id": "ATVPDKIKX0DER"}]"#
        )
        let twice = schema.validate(.object(payload))
        #expect(twice.map(\.keyword) == ["maxUniqueItems"], "\(twice)")
        payload["merchant_shipping_group"] = try JSONValue(
            parsing:
                #"[{"value": "a", "marketplace_id": "ATVPDKIKX0DER"}, {"value": "b", "marketplace_id": "A1F83G8C2ARO7P"}]"#
        )
        #expect(schema.validate(.object(payload)).filter { $0.keyword == "maxUniqueItems" }.isEmpty)
    }

    struct PythonVerdict: Decodable {
        var valid: Bool
        var required: Set<String>
    }

    /// Python's `jsonschema` (Draft 2019-09) on each payload: valid or not, and the top-level
    /// properties its `required` errors name.
    static func pythonVerdicts(_ payloads: [JSONValue]) async throws -> [PythonVerdict] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ptd-\(UUID().uuidString).json")
        try JSONEncoder().encode(payloads).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = """
            import json, re, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft201909Validator(schema)
            out = []
            for payload in json.load(open(sys.argv[2])):
                errors = list(validator.iter_errors(payload))
                required = sorted({re.match(r"'([^']+)'", e.message).group(1) for e in errors
                                   if e.validator == "required" and not list(e.absolute_path)})
                out.append({"valid": not errors, "required": required})
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Self.definition, input.path]
        // Output to a file, not a pipe: reading a pipe to its end would hold a thread of the
        // cooperative pool the other tests share.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ptd-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        let status = await process.exitStatus()
        guard status == 0 else { throw PythonFailed(status: status) }
        return try JSONDecoder().decode([PythonVerdict].self, from: Data(contentsOf: output))
    }

    struct PythonFailed: Error { var status: Int32 }
}

extension JSONValue {
    fileprivate func removing(_ key: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.key != key })
    }
}
