import Synchronization

/// Request, throttle and fault counts per platform, shown by `GET /_sandbox/stats`.
public final class SandboxStats: Sendable {
    /// One platform's counters.
    public struct Counts: Codable, Sendable, Hashable {
        public var requests = 0
        /// 429 answers drawn by exceeding the published quotas.
        public var throttled = 0
        /// Injected faults, by kind (`500`, `429`, `timeout`, `reset`).
        public var faults: [String: Int] = [:]

        public init() {}
    }

    private let counts = Mutex<[String: Counts]>([:])

    public init() {}

    public func recordRequest(platform: String) {
        counts.withLock { $0[platform, default: Counts()].requests += 1 }
    }

    public func recordThrottle(platform: String) {
        counts.withLock { $0[platform, default: Counts()].throttled += 1 }
    }

    public func recordFault(platform: String, kind: String) {
        counts.withLock { $0[platform, default: Counts()].faults[kind, default: 0] += 1 }
    }

    /// A copy of every platform's counters.
    public var snapshot: [String: Counts] {
        counts.withLock { $0 }
    }
}

/// The sandbox's base URL (`http://127.0.0.1:PORT`), known once the server listens.
public final class SandboxAddress: Sendable {
    private let value = Mutex<String>("http://127.0.0.1")

    public init() {}

    /// The base URL without a trailing slash.
    public var baseURL: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
