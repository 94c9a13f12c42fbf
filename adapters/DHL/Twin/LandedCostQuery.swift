import Foundation

/// The parts of a MyDHL `POST /landed-cost` body the twin reads, decoded with `Decimal` amounts, and
/// the spec's required-field checks.
struct LandedCostQuery: Decodable {
    struct Address: Decodable {
        var countryCode: String?
        var postalCode: String?
        var cityName: String?
    }
    struct CustomerDetails: Decodable {
        var shipperDetails: Address?
        var receiverDetails: Address?
    }
    struct Account: Decodable {
        var typeCode: String?
        var number: String?
    }
    struct Package: Decodable {
        var weight: Decimal?
    }
    struct Item: Decodable {
        var number: Int?
        var name: String?
        var description: String?
        var manufacturerCountry: String?
        var partNumber: String?
        var quantity: Int?
        var quantityType: String?
        var unitPrice: Decimal?
        var unitPriceCurrencyCode: String?
        var commodityCode: String?
        var estimatedTariffRateType: String?
        var weight: Decimal?
    }

    var customerDetails: CustomerDetails?
    var accounts: [Account]?
    var currencyCode: String?
    var isCustomsDeclarable: Bool?
    var getCostBreakdown: Bool?
    var unitOfMeasurement: String?
    var packages: [Package]?
    var items: [Item]?

    /// The first missing or invalid field, as MyDHL names it (`items[0].commodityCode`), with why.
    func problem() -> String? {
        guard let customerDetails else { return "Missing required field: customerDetails" }
        guard let shipper = customerDetails.shipperDetails?.countryCode, shipper.count == 2 else {
            return "Missing or invalid field: customerDetails.shipperDetails.countryCode"
        }
        guard let receiver = customerDetails.receiverDetails?.countryCode, receiver.count == 2 else {
            return "Missing or invalid field: customerDetails.receiverDetails.countryCode"
        }
        for (role, address) in [
            ("shipperDetails", customerDetails.shipperDetails), ("receiverDetails", customerDetails.receiverDetails),
        ] {
            guard let postal = address?.postalCode, postal.count <= 12 else {
                return "Missing or invalid field: customerDetails.\(role).postalCode"
            }
            guard let city = address?.cityName, (1...45).contains(city.count) else {
                return "Missing or invalid field: customerDetails.\(role).cityName"
            }
        }
        guard let accounts, !accounts.isEmpty else { return "Missing required field: accounts" }
        for (index, account) in accounts.enumerated() where (account.number ?? "").isEmpty {
            return "Missing required field: accounts[\(index)].number"
        }
        guard let currencyCode, currencyCode.count == 3 else { return "Missing or invalid field: currencyCode" }
        if isCustomsDeclarable == nil { return "Missing required field: isCustomsDeclarable" }
        if getCostBreakdown == nil { return "Missing required field: getCostBreakdown" }
        guard let unitOfMeasurement else { return "Missing required field: unitOfMeasurement" }
        guard ["metric", "imperial"].contains(unitOfMeasurement) else {
            return "Invalid value for unitOfMeasurement: \(unitOfMeasurement) (allowed: metric, imperial)"
        }
        guard let packages, !packages.isEmpty else { return "Missing required field: packages" }
        for (index, package) in packages.enumerated() where (package.weight ?? 0) <= 0 {
            return "Missing or invalid field: packages[\(index)].weight"
        }
        guard let items, !items.isEmpty else { return "Missing required field: items" }
        for (index, item) in items.enumerated() {
            if item.number == nil { return "Missing required field: items[\(index)].number" }
            if let type = item.quantityType, !["prt", "box"].contains(type) {
                return "Invalid value for items[\(index)].quantityType: \(type) (allowed: prt, box)"
            }
            guard let quantity = item.quantity, quantity > 0 else {
                return "Missing or invalid field: items[\(index)].quantity"
            }
            guard let price = item.unitPrice, price > 0 else {
                return "Missing or invalid field: items[\(index)].unitPrice"
            }
            if (item.unitPriceCurrencyCode ?? "").count != 3 {
                return "Missing or invalid field: items[\(index)].unitPriceCurrencyCode"
            }
            let derived = ["derived_rate", "highest_rate", "lowest_rate", "center_rate"]
            if !derived.contains(item.estimatedTariffRateType ?? "default_rate") {
                let digits = (item.commodityCode ?? "").filter { $0 != "." }
                guard (6...10).contains(digits.count), digits.allSatisfy(\.isNumber) else {
                    return "Missing or invalid field: items[\(index)].commodityCode "
                        + "(mandatory unless estimatedTariffRateType is a derived rate)"
                }
            }
        }
        return nil
    }
}
