import Catalog
import Foundation

/// The body of MyDHL's `POST /landed-cost` for one SKU shipped alone to one destination.
///
/// Follows `supermodelIoLogisticsExpressLandedCostRequest` of MyDHL API 2.7.0
/// (`../shared/specs/dhl-express/mydhl-api-2.7.0.yaml`): required `customerDetails` (shipper and
/// receiver each with `postalCode`, `cityName`, `countryCode`), `accounts`, `currencyCode`,
/// `isCustomsDeclarable`, `getCostBreakdown`, `unitOfMeasurement`, `packages`, `items` (each with
/// `number`, `quantity`, `unitPrice`, `unitPriceCurrencyCode`; `quantityType` one of `prt`/`box`;
/// `commodityCode` because no `estimatedTariffRateType` is sent). Items allow no other properties
/// (`additionalProperties: false`), so the customs description is not sent: `name` carries the title. One unit per request: the estimate prices one unit shipped on its
/// own, which is what a marketplace order of that SKU costs.
struct LandedCostRequest: Sendable {
    /// The shipper's country (where the goods leave from).
    var shipperCountry: String
    /// The shipper's postal code and city (DHL needs an address to rate).
    var shipperPostalCode: String
    var shipperCity: String
    /// The DHL Express account number (the account's `seller_id`).
    var accountNumber: String
    /// The representative receiver address per destination country.
    var receiverAddresses: [String: ReceiverAddress]
    /// The outer package's dimensions in centimetres.
    var packageDimensions: (length: Int, width: Int, height: Int)

    /// The JSON body for `listing` going to `destination`, priced at the listing's price.
    func body(for listing: DesiredListing, destination: String) -> [UInt8] {
        let content = listing.content
        let currency = listing.price.currency.code
        let weight = Self.kilograms(grams: content.weightGrams ?? 0)
        let hsCode = CustomsReadiness.normalizedHSCode(content.hsCode ?? "") ?? ""
        let receiver = receiverAddresses[destination]
        let item = DHLJSON.object([
            "number": .integer(1),
            "name": .string(String(content.title.prefix(512))),
            "manufacturerCountry": .string(content.originCountry.uppercased()),
            "partNumber": .string(listing.sku.rawValue),
            "quantity": .integer(1),
            "quantityType": "prt",
            "unitPrice": .number(listing.price.amountString),
            "unitPriceCurrencyCode": .string(currency),
            "commodityCode": .string(hsCode),
            "weight": .number(weight),
        ])
        let body = DHLJSON.object([
            "customerDetails": .object([
                "shipperDetails": .object([
                    "postalCode": .string(shipperPostalCode), "cityName": .string(shipperCity),
                    "countryCode": .string(shipperCountry),
                ]),
                "receiverDetails": .object([
                    "postalCode": .string(receiver?.postalCode ?? ""), "cityName": .string(receiver?.cityName ?? ""),
                    "countryCode": .string(destination),
                ]),
            ]),
            "accounts": .array([.object(["typeCode": "shipper", "number": .string(accountNumber)])]),
            "productCode": "P",
            "unitOfMeasurement": "metric",
            "currencyCode": .string(currency),
            "isCustomsDeclarable": .bool(true),
            "getCostBreakdown": .bool(true),
            "packages": .array([
                .object([
                    "weight": .number(weight),
                    "dimensions": .object([
                        "length": .integer(packageDimensions.length), "width": .integer(packageDimensions.width),
                        "height": .integer(packageDimensions.height),
                    ]),
                ])
            ]),
            "items": .array([item]),
        ])
        return body.serialized()
    }

    /// A short, stable digest of a request body (64-bit FNV-1a, 16 hex digits): equal bodies ask for
    /// the same estimate. Not a security hash; it only tells whether a stored estimate still answers.
    static func digest(_ body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// `1250` g → `"1.25"`, `500` → `"0.5"`: kilograms as exact decimal text.
    static func kilograms(grams: Int) -> String {
        let whole = grams / 1000
        var fraction = String(grams % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}

extension DHLJSON: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}
