import Foundation

/// The twin's landed-cost answer in MyDHL's shape, written by hand so amounts are exact JSON numbers.
enum DHLTwinResponses {
    /// `{"products":[{productName, productCode, weight, totalPrice, detailedPriceBreakdown,
    /// items:[{number, breakdown:[DUTY, TAX]}]}],"warnings":[]}`, the shape of
    /// `supermodelIoLogisticsExpressRates`: duties and taxes per item, the shipment level naming only
    /// the transport quote (`SPRQN`).
    static func landedCost(_ query: LandedCostQuery, _ estimate: LandedCostCalculator.Estimate) -> String {
        let currency = estimate.currency
        func amount(_ value: Decimal) -> String { LandedCostCalculator.text(value, currency) }
        func charge(_ name: String, _ type: String, _ value: Decimal) -> String {
            #"{"name":"\#(name)","typeCode":"\#(type)","price":\#(amount(value)),"priceCurrency":"\#(currency)"}"#
        }
        let number = query.items?.first?.number ?? 1
        let weight = (query.packages ?? []).reduce(Decimal(0)) { $0 + ($1.weight ?? 0) }
        let items =
            #"[{"number":\#(number),"breakdown":[\#(charge("DUTY", "DUTY", estimate.duty)),"#
            + #"\#(charge("TAX", "TAX", estimate.tax))]}]"#
        let shipment =
            #"[{"currencyType":"BILLC","priceCurrency":"\#(currency)","breakdown":["#
            + #"{"name":"SPRQN","price":\#(amount(estimate.shipping)),"priceCurrency":"\#(currency)"}]}]"#
        return #"{"products":[{"productName":"EXPRESS WORLDWIDE","productCode":"P","#
            + #""weight":{"provided":\#(weight),"unitOfMeasurement":"metric"},"#
            + #""totalPrice":[{"currencyType":"BILLC","priceCurrency":"\#(currency)","price":\#(amount(estimate.total))}],"#
            + #""detailedPriceBreakdown":\#(shipment),"items":\#(items)}],"warnings":[]}"#
    }
}
