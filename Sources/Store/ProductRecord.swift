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
        "channel_prices", "channels",
    ]

    /// `SELECT` list that ``product(from:startingAt:)`` decodes: sku, revision, data columns, updated_at.
    static let selection = "sku, revision, " + dataColumns.joined(separator: ", ") + ", updated_at"

    /// The values of ``dataColumns`` for `product`, in order.
    static func dataValues(of product: Product) -> [(any DatabaseValueConvertible)?] {
        [
            product.title,
            product.price.minorUnits,
            product.price.currency.code,
            product.quantity,
            product.description,
            product.brand,
            product.productType,
            product.hsCode,
            product.originCountry,
            product.district,
            product.weightGrams,
            CompactCoding.encode(product.imageURLs),
            CompactCoding.encode(product.attributes),
            encodeTranslations(product.translations),
            CompactCoding.encode(product.channelPrices.mapValues { "\($0)" }),
            product.channels.map { CompactCoding.encode($0) },
        ]
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
            channels: try channels.map(CompactCoding.decodeStrings)
        )
        let updatedAt: Int64 = row[18]
        return StoredProduct(product: product, revision: row[1], updatedAt: StoreClock.date(updatedAt))
    }

    private static func encodeTranslations(_ translations: [String: Product.LocalizedText]) -> String {
        CompactCoding.encode(
            translations.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value.title, $0.value.description] }
        )
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
