import Catalog
import Foundation
import GRDB

/// The columns of one `product` row, and the conversions between them and ``Product``.
///
/// Scalar fields are plain columns; the collections use ``CompactCoding`` so reading a
/// product back costs a few string splits, not a `JSONDecoder` pass.
struct ProductRecord {
    /// The column names of the `product` table after `sku` and `revision`, in argument order.
    static let dataColumns = [
        "title", "price_minor", "currency", "quantity", "description", "brand", "product_type", "hs_code",
        "origin_country", "district", "weight_grams", "image_urls", "attributes", "translations",
        "channel_prices", "channels", "details",
    ]

    /// `SELECT` list that ``product(from:startingAt:)`` decodes: sku, revision, data columns, updated_at.
    static let selection = "sku, revision, " + dataColumns.joined(separator: ", ") + ", updated_at"

    /// A product encoded as the values of its `product` row, ready to bind or compare.
    struct Encoded: Sendable {
        let sku: String
        let title: String
        let priceMinor: Int64
        let currency: String
        let quantity: Int
        let description: String?
        let brand: String?
        let productType: String?
        let hsCode: String?
        let originCountry: String
        let district: String?
        let weightGrams: Int?
        let imageURLs: String
        let attributes: String
        let translations: String
        let channelPrices: String
        let channels: String?
        /// ``ProductDetailsCoding`` of the product's details; `''` for none.
        let details: String
        /// The product's explicit channel list (``channels`` decoded), `nil` for every channel.
        let channelList: [String]?

        init(_ product: Product) {
            sku = product.sku.rawValue
            title = product.title
            priceMinor = product.price.minorUnits
            currency = product.price.currency.code
            quantity = product.quantity
            description = product.description
            brand = product.brand
            productType = product.productType
            hsCode = product.hsCode
            originCountry = product.originCountry
            district = product.district
            weightGrams = product.weightGrams
            imageURLs = CompactCoding.encode(product.imageURLs)
            attributes = CompactCoding.encode(product.attributes)
            translations = ProductRecord.encodeTranslations(product.translations)
            channelPrices =
                product.channelPrices.isEmpty ? "" : CompactCoding.encode(product.channelPrices.mapValues { "\($0)" })
            channels = product.channels.map { CompactCoding.encode($0) }
            channelList = product.channels
            details = ProductDetailsCoding.encode(product.details)
        }

        /// Binds `sku` at `start`, then the data columns.
        func bind(to statement: RawStatement, startingAt start: Int32) {
            statement.bind(start, sku)
            bindData(to: statement, startingAt: start + 1)
        }

        /// Binds the values of ``ProductRecord/dataColumns`` in order from `start`.
        func bindData(to statement: RawStatement, startingAt start: Int32) {
            statement.bind(start, title)
            statement.bind(start + 1, priceMinor)
            statement.bind(start + 2, currency)
            statement.bind(start + 3, quantity)
            statement.bind(start + 4, description)
            statement.bind(start + 5, brand)
            statement.bind(start + 6, productType)
            statement.bind(start + 7, hsCode)
            statement.bind(start + 8, originCountry)
            statement.bind(start + 9, district)
            statement.bind(start + 10, weightGrams)
            statement.bind(start + 11, imageURLs)
            statement.bind(start + 12, attributes)
            statement.bind(start + 13, translations)
            statement.bind(start + 14, channelPrices)
            statement.bind(start + 15, channels)
            statement.bind(start + 16, details)
        }

        /// Whether the current row of `statement`, holding the data columns from column `start`,
        /// stores exactly these values (SQL `IS` on every column).
        func matches(_ statement: RawStatement, startingAt start: Int32) -> Bool {
            statement.textEquals(start, title)
                && statement.intEquals(start + 1, priceMinor)
                && statement.textEquals(start + 2, currency)
                && statement.intEquals(start + 3, Int64(quantity))
                && statement.textEquals(start + 4, description)
                && statement.textEquals(start + 5, brand)
                && statement.textEquals(start + 6, productType)
                && statement.textEquals(start + 7, hsCode)
                && statement.textEquals(start + 8, originCountry)
                && statement.textEquals(start + 9, district)
                && statement.intEquals(start + 10, weightGrams.map(Int64.init))
                && statement.textEquals(start + 11, imageURLs)
                && statement.textEquals(start + 12, attributes)
                && statement.textEquals(start + 13, translations)
                && statement.textEquals(start + 14, channelPrices)
                && statement.textEquals(start + 15, channels)
                && statement.textEquals(start + 16, details)
        }
    }

    /// Decodes a row fetched with ``selection``.
    static func stored(from row: Row) throws -> StoredProduct {
        let sku = SKU(trusted: row[0])
        let currencyCode: String = row[4]
        guard let currency = Currency(code: currencyCode) else {
            throw StoreError.corruptRow(table: "product", key: sku.rawValue, reason: "unknown currency \(currencyCode)")
        }
        var channelPrices: [String: Decimal] = [:]
        for (channel, text) in try CompactCoding.decodeDictionary(row[16]) {
            guard let amount = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw StoreError.corruptRow(table: "product", key: sku.rawValue, reason: "channel price \(text)")
            }
            channelPrices[channel] = amount
        }
        let channels: String? = row[17]
        let product = Product(
            sku: sku,
            title: row[2],
            price: Money(minorUnits: row[3], currency: currency),
            quantity: row[5],
            description: row[6],
            brand: row[7],
            productType: row[8],
            hsCode: row[9],
            originCountry: row[10],
            district: row[11],
            weightGrams: row[12],
            imageURLs: try CompactCoding.decodeStrings(row[13]),
            attributes: try CompactCoding.decodeDictionary(row[14]),
            translations: try decodeTranslations(row[15]),
            channelPrices: channelPrices,
            channels: try channels.map(CompactCoding.decodeStrings),
            details: try ProductDetailsCoding.decode(row[18] as String, sku: sku.rawValue)
        )
        let updatedAt: Int64 = row[19]
        return StoredProduct(product: product, revision: row[1], updatedAt: StoreClock.date(updatedAt))
    }

    /// Decodes the current row of `statement`, selected with ``selection``, without building a
    /// `Row`: the dirty-set rebuild reads every product through here.
    static func product(from statement: RawStatement) throws -> Product {
        let sku = SKU(trusted: statement.string(0))
        let currencyBytes = statement.bytes(4)
        let currency: Currency
        if currencyBytes.count == 3, currencyBytes.elementsEqual("INR".utf8) {
            currency = .inr
        } else {
            let code = String(decoding: currencyBytes, as: UTF8.self)
            guard let known = Currency(code: code) else {
                throw StoreError.corruptRow(table: "product", key: sku.rawValue, reason: "unknown currency \(code)")
            }
            currency = known
        }
        var channelPrices: [String: Decimal] = [:]
        let channelPriceBytes = statement.bytes(16)
        if channelPriceBytes.count > 0 {
            for (channel, text) in try CompactCoding.decodeDictionary(bytes: channelPriceBytes) {
                guard let amount = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                    throw StoreError.corruptRow(table: "product", key: sku.rawValue, reason: "channel price \(text)")
                }
                channelPrices[channel] = amount
            }
        }
        let attributeBytes = statement.bytes(14)
        let translationBytes = statement.bytes(15)
        return Product(
            sku: sku,
            title: statement.string(2),
            price: Money(minorUnits: statement.int64(3), currency: currency),
            quantity: statement.int(5),
            description: statement.optionalString(6),
            brand: statement.optionalString(7),
            productType: statement.optionalString(8),
            hsCode: statement.optionalString(9),
            originCountry: statement.string(10),
            district: statement.optionalString(11),
            weightGrams: statement.optionalInt(12),
            imageURLs: try CompactCoding.decodeStrings(bytes: statement.bytes(13)),
            attributes: attributeBytes.count == 0 ? [:] : try CompactCoding.decodeDictionary(bytes: attributeBytes),
            translations: translationBytes.count == 0 ? [:] : try decodeTranslations(bytes: translationBytes),
            channelPrices: channelPrices,
            channels: statement.isNull(17) ? nil : try CompactCoding.decodeStrings(bytes: statement.bytes(17)),
            details: try ProductDetailsCoding.decode(bytes: statement.bytes(18), sku: sku.rawValue)
        )
    }

    private static func decodeTranslations(bytes: UnsafeBufferPointer<UInt8>) throws -> [String: Product.LocalizedText]
    {
        var translations: [String: Product.LocalizedText] = [:]
        var language: String?
        var title: String?
        var position = 0
        try CompactCoding.forEach(bytes) { entry in
            let text = entry.map { String(decoding: $0, as: UTF8.self) }
            switch position {
            case 0:
                guard let text else {
                    throw CompactCoding.DecodingError(encoded: String(decoding: bytes, as: UTF8.self))
                }
                language = text
            case 1: title = text
            default: translations[language!] = Product.LocalizedText(title: title, description: text)
            }
            position = (position + 1) % 3
        }
        guard position == 0 else { throw CompactCoding.DecodingError(encoded: String(decoding: bytes, as: UTF8.self)) }
        return translations
    }

    static func encodeTranslations(_ translations: [String: Product.LocalizedText]) -> String {
        var out = ""
        for (language, text) in translations.count == 1
            ? Array(translations) : translations.sorted(by: { $0.key < $1.key })
        {
            CompactCoding.append(language, to: &out)
            CompactCoding.append(text.title, to: &out)
            CompactCoding.append(text.description, to: &out)
        }
        return out
    }

    private static func decodeTranslations(_ encoded: String) throws -> [String: Product.LocalizedText] {
        let flat = try CompactCoding.decode(encoded)
        guard flat.count.isMultiple(of: 3) else { throw CompactCoding.DecodingError(encoded: encoded) }
        var translations: [String: Product.LocalizedText] = [:]
        var index = 0
        while index < flat.count {
            guard let language = flat[index] else { throw CompactCoding.DecodingError(encoded: encoded) }
            translations[language] = Product.LocalizedText(title: flat[index + 1], description: flat[index + 2])
            index += 3
        }
        return translations
    }
}
