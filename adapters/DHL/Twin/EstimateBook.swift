import Synchronization

/// The twin's estimates per SKU, in the order destinations were first asked for.
final class EstimateBook: Sendable {
    /// One stored estimate.
    struct Stored: Sendable {
        var shipper: String
        var destination: String
        var title: String?
        var estimate: LandedCostCalculator.Estimate
    }

    private let estimates = Mutex<[String: [Stored]]>([:])

    /// Runs `body` with exclusive access to the estimates.
    func withEstimates<T>(_ body: (inout [String: [Stored]]) -> T) -> T {
        estimates.withLock { body(&$0) }
    }
}
