import CoreMetrics
import Synchronization

/// swift-metrics kept in memory, so a test can read what adapters and the engine counted.
///
/// swift-metrics can be bootstrapped once per process: ``shared`` does it on first use, and every
/// test reads it. Tests run side by side in one process, so a test reads only labels no other test
/// writes (its own platform name, say), and expects exact values from them.
public final class RecordingMetrics: MetricsFactory {
    /// The process's recording factory, bootstrapped on first use.
    public static let shared: RecordingMetrics = {
        let metrics = RecordingMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()

    /// One metric's identity: its label and dimensions.
    struct Key: Hashable, Sendable {
        var label: String
        var dimensions: [String: String]
    }

    /// Counter totals, recorder values and timer counts by metric.
    private let values = Mutex<[Key: Int64]>([:])

    private init() {}

    /// The total of counter `label` with exactly `dimensions` (0 when never incremented).
    public func counter(_ label: String, _ dimensions: [String: String]) -> Int64 {
        values.withLock { $0[Key(label: label, dimensions: dimensions)] ?? 0 }
    }

    /// How many durations timer `label` with exactly `dimensions` recorded.
    public func timerCount(_ label: String, _ dimensions: [String: String]) -> Int64 {
        values.withLock { $0[Key(label: label + "#count", dimensions: dimensions)] ?? 0 }
    }

    func add(_ amount: Int64, to key: Key) {
        values.withLock { $0[key, default: 0] += amount }
    }

    func set(_ value: Int64, for key: Key) {
        values.withLock { $0[key] = value }
    }

    // MARK: - MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(metrics: self, key: Self.key(label, dimensions))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(metrics: self, key: Self.key(label, dimensions))
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(metrics: self, key: Self.key(label + "#count", dimensions))
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> Key {
        Key(label: label, dimensions: Dictionary(dimensions, uniquingKeysWith: { _, last in last }))
    }

    /// One metric's handler: counters add, recorders keep the last value, timers count durations.
    private final class Handler: CounterHandler, RecorderHandler, TimerHandler {
        let metrics: RecordingMetrics
        let key: Key

        init(metrics: RecordingMetrics, key: Key) {
            self.metrics = metrics
            self.key = key
        }

        func increment(by amount: Int64) { metrics.add(amount, to: key) }
        func reset() { metrics.set(0, for: key) }
        func record(_ value: Int64) { metrics.set(value, for: key) }
        func record(_ value: Double) { metrics.set(Int64(value), for: key) }
        func recordNanoseconds(_ duration: Int64) { metrics.add(1, to: key) }
    }
}
