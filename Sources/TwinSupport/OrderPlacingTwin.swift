/// A twin whose platform sells: the sandbox's `POST /_sandbox/orders` places and cancels orders
/// through it, so tests and benchmarks can sell.
///
/// A placed order lands in the twin's own order book (served by the platform's own orders API in its
/// documented shape) and takes its units off the twin listing's quantity, as the platform does; a
/// cancellation gives them back.
public protocol OrderPlacingTwin: PlatformTwin {
    /// Places an order of `quantity` units of `sku` on `marketplace` (the platform's code, as
    /// ``PlatformTwin/listings(marketplace:)`` takes it); returns the platform's order id.
    func placeOrder(marketplace: String, sku: String, quantity: Int) async throws(SandboxOrderError) -> String

    /// Cancels the order `orderID`; returns its line ids.
    func cancelOrder(_ orderID: String) async throws(SandboxOrderError)

    /// Ships the order `orderID`: the platform reports it shipped from now on (its units no longer
    /// reserved); the listing's quantity does not change.
    func shipOrder(_ orderID: String) async throws(SandboxOrderError)
}

extension OrderPlacingTwin {
    /// A twin whose platform reports no shipping refuses (400 `not_supported`).
    public func shipOrder(_ orderID: String) async throws(SandboxOrderError) {
        throw SandboxOrderError(
            status: 400,
            code: "not_supported",
            message: "The \(platform) twin does not ship orders."
        )
    }
}

/// Why the sandbox could not place or cancel an order, with the HTTP status it answers.
public struct SandboxOrderError: Error, Sendable, Hashable {
    /// 404 (no such listing or order), 409 (not enough quantity, already cancelled), 400 (bad input).
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
