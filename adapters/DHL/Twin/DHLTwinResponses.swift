import Foundation

/// The twin's landed-cost answer in MyDHL's shape, written by hand so amounts are exact JSON numbers.
enum DHLTwinResponses {
    /// `{"products":[{…totalPrice, detailedPriceBreakdown…}],"items":[{number, breakdown}]}`.
    static func landedCost(_ query: LandedCostQuery, _ estimate: LandedCostCalculator.Estimate) -> String {
        let currency = estimate.currency
        func amount(_ value: Decimal) -> String { LandedCostCalculator.text(value, currency) }
        func charge(_ name: String, _ type: String, _ value: Decimal) -> String {
            #"{"name":"\#(name)","typeCode":"\#(type)","price":\#(amount(value)),"priceCurrency":"\#(currency)"}"#
        }
        let breakdown = [
            charge("EXPRESS WORLDWIDE", "SPRQD", estimate.shipping),
            charge("DUTY", "DUTY", estimate.duty),
            charge("TAX", "TAX", estimate.tax),
        ].joined(separator: ",")
        let number = query.items?.first?.number ?? 1
        let items =
            #"[{"number":\#(number),"breakdown":[\#(charge("DUTY", "DUTY", estimate.duty)),"#
            + #"\#(charge("TAX", "TAX", estimate.tax))]}]"#
        return #"{"products":[{"productName":"EXPRESS WORLDWIDE","productCode":"P","#
            + #""totalPrice":[{"currencyType":"BILLC","priceCurrency":"\#(currency)","price":\#(amount(estimate.total))}],"#
            + #""detailedPriceBreakdown":[{"currencyType":"BILLC","priceCurrency":"\#(currency)","#
            + #""breakdown":[\#(breakdown)]}]}],"items":\#(items),"warnings":[]}"#
    }
}
