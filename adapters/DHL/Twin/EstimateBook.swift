import Synchronization

/// The twin's estimates per SKU, in the order destinations were first asked for, and how often each
/// (SKU, destination) was asked.
final class EstimateBook: Sendable {
    /// One stored estimate.
    struct Stored: Sendable {
        var shipper: String
        var destination: String
        var title: String?
        /// The declared unit value of the request, as sent (decimal text in the estimate's currency).
        var declaredValue: String?
        var estimate: LandedCostCalculator.Estimate
    }

    private let estimates = Mutex<[String: [Stored]]>([:])
    private let asked = Mutex<[String: Int]>([:])

    /// Runs `body` with exclusive access to the estimates.
    func withEstimates<T>(_ body: (inout [String: [Stored]]) -> T) -> T {
        estimates.withLock { body(&$0) }
    }

    /// Counts one answered request for `sku` to `destination`.
    func recordAsked(sku: String, destination: String) {
        asked.withLock { $0["\(sku)/\(destination)", default: 0] += 1 }
    }

    /// How many requests for `sku` to `destination` were answered with an estimate.
    func timesAsked(sku: String, destination: String) -> Int {
        asked.withLock { $0["\(sku)/\(destination)"] ?? 0 }
    }
}
