import Catalog
import Foundation

/// The fields of one import record on their way to becoming a ``Product``.
///
/// CSV and JSON both feed it column by column; each bad field is recorded with its column name,
/// and ``build()`` returns the product only when every field was good.
struct ProductDraft {
    let line: Int
    let baseCurrency: Currency
    private(set) var errors: [ImportError] = []

    private var skuText: String?
    private var sku: SKU?
    private var title: String?
    private var price: Money?
    private var quantity: Int?
    /// The fields set so far (internal for ``setDetail(_:name:text:)`` in its own file).
    var product = Product(
        sku: SKU(trusted: "-"),
        title: "",
        price: Money(minorUnits: 0, currency: .inr),
        quantity: 0
    )

    init(line: Int, baseCurrency: Currency) {
        self.line = line
        self.baseCurrency = baseCurrency
    }

    /// Sets `column` from its text form (CSV, or a JSON string). `name` is the header as written.
    mutating func set(_ column: ImportColumn, name: String, text: String) {
        if let problem = FieldLimits.problem(text, field: name, limit: Self.limit(of: column)) {
            return fail(name, problem)
        }
        switch column {
        case .sku:
            skuText = text
            do throws(SKU.ValidationError) {
                sku = try SKU(validating: text)
            } catch {
                fail(name, error.description)
            }
        case .title:
            if text.isEmpty { fail(name, "title is empty") } else { title = text }
        case .price:
            guard
                let amount = Self.plainMoney(text, currency: baseCurrency)
                    ?? Money(parsing: text, currency: baseCurrency)
            else {
                return fail(
                    name,
                    "price \"\(text)\" is not a decimal amount of \(baseCurrency.code) with at most \(baseCurrency.exponent) decimals"
                )
            }
            guard amount.minorUnits > 0 else { return fail(name, "price must be greater than 0") }
            price = amount
        case .quantity:
            guard let value = Int(text) else { return fail(name, "quantity \"\(text)\" is not a whole number") }
            setQuantity(value, name: name)
        case .description: product.description = text.nilIfEmpty
        case .brand: product.brand = text.nilIfEmpty
        case .productType: product.productType = text.nilIfEmpty
        case .hsCode: product.hsCode = text.nilIfEmpty
        case .district: product.district = text.nilIfEmpty
        case .originCountry:
            guard !text.isEmpty else { return }
            guard text.utf8.count == 2, text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                return fail(name, "origin_country \"\(text)\" is not an ISO 3166-1 alpha-2 code such as IN")
            }
            product.originCountry = text
        case .weightGrams:
            guard !text.isEmpty else { return }
            guard let grams = Int(text), grams >= 0 else {
                return fail(name, "weight_grams \"\(text)\" is not a whole number ≥ 0")
            }
            product.weightGrams = grams
        case .imageURLs: setImageURLs(Self.list(text), name: name)
        case .channels: setChannels(Self.list(text))
        case .attributes:
            var attributes: [String: String] = [:]
            for pair in text.utf8.split(separator: UInt8(ascii: ";")) where !Self.isWhitespace(pair) {
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), pair.startIndex < equals else {
                    return fail(name, "attribute \"\(String(decoding: pair, as: UTF8.self))\" is not key=value")
                }
                attributes[String(decoding: pair[..<equals], as: UTF8.self)] = String(
                    decoding: pair[pair.index(after: equals)...],
                    as: UTF8.self
                )
            }
            setAttributes(attributes, name: name)
        case .translatedTitle(let language):
            if !text.isEmpty { product.translations[language, default: .init()].title = text }
        case .translatedDescription(let language):
            if !text.isEmpty { product.translations[language, default: .init()].description = text }
        case .channelPrice(let channel):
            guard !text.isEmpty else { return }
            guard let amount = Money.parseDecimal(text), amount > 0 else {
                return fail(name, "\(name) \"\(text)\" is not a decimal amount greater than 0")
            }
            product.channelPrices[channel] = amount
        case .translations:
            fail(name, "translations must be an object of {language: {title, description}}")
        case .gtin, .identifierExemption, .asin, .bulletPoints, .color, .material, .manufacturer, .partNumber,
            .condition, .dangerousGoods, .platformAttribute:
            setDetail(column, name: name, text: text)
        }
    }

    mutating func setQuantity(_ value: Int, name: String) {
        guard value >= 0 else { return fail(name, "quantity \(value) is negative") }
        quantity = value
    }

    mutating func setImageURLs(_ urls: [String], name: String) {
        for (index, url) in urls.enumerated() {
            if let problem = FieldLimits.problem(url, field: "image URL \(index + 1)", limit: FieldLimits.imageURL) {
                return fail(name, problem)
            }
        }
        product.imageURLs = urls
    }

    mutating func setChannels(_ channels: [String]) {
        product.channels = channels.isEmpty ? nil : channels
    }

    mutating func setAttributes(_ attributes: [String: String], name: String) {
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            if let problem = FieldLimits.problem(key, field: "attribute name", limit: FieldLimits.attributeName)
                ?? FieldLimits.problem(value, field: "attribute \(key)", limit: FieldLimits.attributeValue)
            {
                return fail(name, problem)
            }
        }
        product.attributes = attributes
    }

    mutating func setTranslation(language: String, title: String?, description: String?, name: String) {
        guard ImportColumn.isLanguage(language) else {
            return fail(name, "\"\(language)\" is not a language (ISO 639-1 like de, or a locale like fr_CA)")
        }
        for (field, text, limit) in [
            ("title@\(language)", title, FieldLimits.title),
            ("description@\(language)", description, FieldLimits.description),
        ] {
            if let text, let problem = FieldLimits.problem(text, field: field, limit: limit) {
                return fail(name, problem)
            }
        }
        product.translations[language] = .init(title: title?.nilIfEmpty, description: description?.nilIfEmpty)
    }

    /// The longest text `column` may hold; lists and attribute pairs are checked item by item.
    private static func limit(of column: ImportColumn) -> Int {
        switch column {
        case .title, .translatedTitle: FieldLimits.title
        case .description, .translatedDescription: FieldLimits.description
        // The whole cell: each URL and attribute is checked on its own below.
        case .imageURLs, .attributes, .channels, .translations, .bulletPoints: Int.max
        case .platformAttribute: FieldLimits.attributeValue
        default: FieldLimits.shortText
        }
    }

    /// Records a problem with `column`.
    mutating func fail(_ column: String?, _ message: String) {
        errors.append(ImportError(line: line, column: column, sku: skuText, message: message))
    }

    /// The product, or the errors that prevent it (a missing required field is one).
    mutating func build() -> Product? {
        for errorIndex in errors.indices where errors[errorIndex].sku == nil {
            errors[errorIndex].sku = skuText
        }
        if skuText == nil { fail("sku", "sku is missing") }
        if title == nil && !errors.contains(where: { $0.column == "title" }) { fail("title", "title is missing") }
        if price == nil && !errors.contains(where: { $0.column == "price" }) { fail("price", "price is missing") }
        if quantity == nil && !errors.contains(where: { $0.column == "quantity" }) {
            fail("quantity", "quantity is missing")
        }
        guard errors.isEmpty, let sku, let title, let price, let quantity else { return nil }
        product.sku = sku
        product.title = title
        product.price = price
        product.quantity = quantity
        return product
    }

    /// `Money(parsing:)` without `Decimal` for the common shape `123` or `123.45` (at most 15 digits,
    /// at most the currency's decimals); `nil` for anything else, which then takes the general path.
    static func plainMoney(_ text: String, currency: Currency) -> Money? {
        var units: Int64 = 0
        var digits = 0
        var decimals = -1
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                units = units * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
                if decimals >= 0 { decimals += 1 }
            } else if byte == UInt8(ascii: ".") && decimals < 0 && digits > 0 {
                decimals = 0
            } else {
                return nil
            }
            if digits > 15 { return nil }
        }
        guard digits > 0, decimals != 0 else { return nil }
        var scale = max(decimals, 0)
        guard scale <= currency.exponent else { return nil }
        while scale < currency.exponent {
            units *= 10
            scale += 1
        }
        return Money(minorUnits: units, currency: currency)
    }

    /// Whether `bytes` is only white space (`Character.isWhitespace`; ASCII checked byte by byte).
    static func isWhitespace(_ bytes: Substring.UTF8View) -> Bool {
        for byte in bytes {
            if byte >= 0x80 { return String(Substring(bytes)).allSatisfy(\.isWhitespace) }
            if !(byte == 0x20 || (0x09...0x0D).contains(byte)) { return false }
        }
        return true
    }

    /// `a|b|c` with spaces and tabs around entries trimmed and empty entries dropped.
    static func list(_ text: String) -> [String] {
        var entries: [String] = []
        var text = text
        text.withUTF8 { bytes in
            var entryStart = 0
            while entryStart <= bytes.count {
                var entryEnd = entryStart
                while entryEnd < bytes.count && bytes[entryEnd] != UInt8(ascii: "|") { entryEnd += 1 }
                var lower = entryStart
                var upper = entryEnd
                while lower < upper && isBlank(bytes[lower]) { lower += 1 }
                while lower < upper && isBlank(bytes[upper - 1]) { upper -= 1 }
                if lower < upper {
                    entries.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self))
                }
                entryStart = entryEnd + 1
            }
        }
        return entries
    }
}

private func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
