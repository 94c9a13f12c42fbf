import Foundation

/// The representative receiver address of one destination country: MyDHL's landed-cost request needs
/// `customerDetails.receiverDetails.postalCode`, `cityName` and `countryCode`
/// (`supermodelIoLogisticsExpressAddressRatesRequest`, all three required), not a country alone.
///
/// An estimate prices a typical order to the country, so one address per destination stands for all
/// its buyers: a capital or main commercial city by default (``defaults``), overridden per channel
/// with the key `receiver_addresses = "US|10001|New York;AE||Dubai"` (country, postal code, city; the
/// postal code may be empty where the country has none, as the schema allows `minLength: 0`).
public struct ReceiverAddress: Sendable, Hashable {
    /// The postal code (may be empty: 0–12 characters per the schema).
    public var postalCode: String
    /// The city (1–45 characters).
    public var cityName: String

    /// An address in `cityName` at `postalCode`.
    public init(postalCode: String, cityName: String) {
        self.postalCode = postalCode
        self.cityName = cityName
    }

    /// The default address per destination: a central address of each country's main city. A
    /// destination not listed here needs a `receiver_addresses` entry.
    public static let defaults: [String: ReceiverAddress] = [
        "US": ReceiverAddress(postalCode: "10001", cityName: "New York"),
        "GB": ReceiverAddress(postalCode: "SW1A 1AA", cityName: "London"),
        "DE": ReceiverAddress(postalCode: "10115", cityName: "Berlin"),
        "FR": ReceiverAddress(postalCode: "75001", cityName: "Paris"),
        "IT": ReceiverAddress(postalCode: "00184", cityName: "Roma"),
        "ES": ReceiverAddress(postalCode: "28001", cityName: "Madrid"),
        "NL": ReceiverAddress(postalCode: "1012 JS", cityName: "Amsterdam"),
        "AE": ReceiverAddress(postalCode: "", cityName: "Dubai"),
        "SA": ReceiverAddress(postalCode: "11564", cityName: "Riyadh"),
        "JP": ReceiverAddress(postalCode: "100-0001", cityName: "Tokyo"),
        "SG": ReceiverAddress(postalCode: "018956", cityName: "Singapore"),
        "AU": ReceiverAddress(postalCode: "2000", cityName: "Sydney"),
        "CA": ReceiverAddress(postalCode: "M5H 2N2", cityName: "Toronto"),
        "MX": ReceiverAddress(postalCode: "06000", cityName: "Ciudad de Mexico"),
        "BR": ReceiverAddress(postalCode: "01001-000", cityName: "Sao Paulo"),
        "TR": ReceiverAddress(postalCode: "34000", cityName: "Istanbul"),
        "EG": ReceiverAddress(postalCode: "11511", cityName: "Cairo"),
        "PL": ReceiverAddress(postalCode: "00-001", cityName: "Warszawa"),
        "SE": ReceiverAddress(postalCode: "111 20", cityName: "Stockholm"),
        "BE": ReceiverAddress(postalCode: "1000", cityName: "Bruxelles"),
        "IN": ReceiverAddress(postalCode: "110001", cityName: "New Delhi"),
    ]

    /// `"US|10001|New York;AE||Dubai"` → addresses by upper-cased country, or `nil` when an entry is not
    /// `CC|postal|city` with an ISO-2 country, a postal code of at most 12 and a city of 1–45 characters.
    public static func parse(_ text: String) -> [String: ReceiverAddress]? {
        var result: [String: ReceiverAddress] = [:]
        for entry in text.split(separator: ";") {
            let fields = entry.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, CustomsReadiness.isCountryCode(fields[0].uppercased()),
                fields[1].count <= 12, (1...45).contains(fields[2].count)
            else { return nil }
            result[fields[0].uppercased()] = ReceiverAddress(postalCode: fields[1], cityName: fields[2])
        }
        return result.isEmpty ? nil : result
    }

    /// `"US|10001|New York,GB|SW1A 1AA|London"` for `addresses` of `destinations` (their order): the
    /// listing settings' form.
    static func text(_ addresses: [String: ReceiverAddress], destinations: [String]) -> String {
        destinations.map { country in
            let address = addresses[country]
            return "\(country)|\(address?.postalCode ?? "")|\(address?.cityName ?? "")"
        }.joined(separator: ",")
    }
}
