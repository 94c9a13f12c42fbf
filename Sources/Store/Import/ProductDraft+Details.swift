import Catalog

/// The columns of ``ProductDetails``: identifiers, bullet points, condition and per-platform attributes.
extension ProductDraft {
    /// The most bullet points a product may have (Amazon's `bullet_point` allows 10, the strictest).
    static let maximumBulletPoints = 10

    /// Sets one ``ProductDetails`` column from its text (CSV, or a JSON string). `name` is the header.
    mutating func setDetail(_ column: ImportColumn, name: String, text: String) {
        switch column {
        case .gtin:
            guard !text.isEmpty else { return }
            do throws(GTIN.ValidationError) {
                product.details.gtin = try GTIN(validating: text).digits
            } catch {
                fail(name, "\(name) \(error.description)")
            }
        case .identifierExemption:
            switch text.lowercased() {
            case "", "false", "no", "0": product.details.identifierExemption = false
            case "true", "yes", "1": product.details.identifierExemption = true
            default: fail(name, "\(name) \"\(text)\" is not true or false")
            }
        case .asin(let channel):
            guard !text.isEmpty else { return }
            guard Self.isASIN(text) else {
                return fail(
                    name,
                    "\(name) \"\(text)\" is not an ASIN (10 upper-case letters or digits, like B07XJ8C8F5)"
                )
            }
            if let channel { product.details.asinsByChannel[channel] = text } else { product.details.asin = text }
        case .bulletPoints(let language):
            setBulletPoints(Self.list(text), language: language, name: name)
        case .color: product.details.color = text.nilIfEmpty
        case .material: product.details.material = text.nilIfEmpty
        case .manufacturer: product.details.manufacturer = text.nilIfEmpty
        case .partNumber: product.details.partNumber = text.nilIfEmpty
        case .condition:
            guard !text.isEmpty else { return }
            guard let condition = ProductDetails.Condition(text: text) else {
                let allowed = ProductDetails.Condition.allCases.map(\.rawValue).joined(separator: ", ")
                return fail(name, "condition \"\(text)\" is not one of new, \(allowed)")
            }
            product.details.condition = condition
        case .dangerousGoods:
            guard !text.isEmpty else { return }
            guard let goods = ProductDetails.DangerousGoods(rawValue: text) else {
                let allowed = ProductDetails.DangerousGoods.allCases.map(\.rawValue).joined(separator: ", ")
                return fail(name, "dangerous_goods \"\(text)\" is not one of \(allowed)")
            }
            product.details.dangerousGoods = goods
        case .platformAttribute(let key, _):
            if let value = text.nilIfEmpty { product.details.platformAttributes[key] = value }
        default:
            fail(name, "\(name) is not a detail column")
        }
    }

    /// Sets the bullet points (`language` `nil`) or those of one language, each within the field limit.
    mutating func setBulletPoints(_ bullets: [String], language: String?, name: String) {
        guard bullets.count <= Self.maximumBulletPoints else {
            return fail(
                name,
                "\(name) has \(bullets.count) bullet points, at most \(Self.maximumBulletPoints) are allowed"
            )
        }
        for (index, bullet) in bullets.enumerated() {
            if let problem = FieldLimits.problem(
                bullet,
                field: "bullet point \(index + 1)",
                limit: FieldLimits.bulletPoint
            ) {
                return fail(name, "\(name): \(problem)")
            }
        }
        if let language {
            product.details.translatedBulletPoints[language] = bullets.isEmpty ? nil : bullets
        } else {
            product.details.bulletPoints = bullets
        }
    }

    /// Ten upper-case ASCII letters or digits (`B07XJ8C8F5`, or an ISBN-10 such as `030640615X`).
    static func isASIN(_ text: String) -> Bool {
        text.utf8.count == 10
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            }
    }
}
