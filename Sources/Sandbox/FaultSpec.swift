import Foundation

/// Which faults the sandbox injects and how often: parsed from `500:0.05,429:0.05,timeout:0.01,reset:0.01`.
///
/// Each part is `KIND:PROBABILITY` with KIND one of `500`, `429`, `timeout`, `reset` and PROBABILITY a
/// number from 0 to 1; the probabilities may add up to at most 1. An empty spec injects nothing.
public struct FaultSpec: Sendable, Hashable, CustomStringConvertible {
    /// A fault the sandbox can inject.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 500 with an SP-API-style `InternalFailure` error list.
        case internalError = "500"
        /// 429 with `Retry-After: 1` (counted as fault `429`, not as a quota throttle).
        case tooManyRequests = "429"
        /// Stall `timeoutFaultDelay`, then 503.
        case timeout
        /// Drop the connection in the middle of the response.
        case reset
    }

    /// A spec the sandbox cannot use, naming the offending part.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        /// The part of the spec that is wrong (`"503:0.1"`).
        public var part: String
        /// What is wrong with it.
        public var reason: String

        public var description: String { "invalid fault spec part '\(part)': \(reason)" }
    }

    /// The probability of each kind (kinds not listed are never injected).
    public private(set) var probabilities: [Kind: Double]

    /// A spec with the given probabilities (no faults by default).
    public init(_ probabilities: [Kind: Double] = [:]) {
        self.probabilities = probabilities
    }

    /// Parses `KIND:P[,KIND:P…]`; throws ``ParseError`` naming the bad part.
    public init(parsing text: String) throws(ParseError) {
        var probabilities: [Kind: Double] = [:]
        for rawPart in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.isEmpty, text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw ParseError(part: part, reason: "expected KIND:PROBABILITY") }
            guard let kind = Kind(rawValue: String(fields[0])) else {
                throw ParseError(part: part, reason: "unknown fault '\(fields[0])' (use 500, 429, timeout or reset)")
            }
            guard let probability = Double(fields[1]), probability >= 0, probability <= 1 else {
                throw ParseError(part: part, reason: "probability must be a number from 0 to 1")
            }
            guard probabilities[kind] == nil else { throw ParseError(part: part, reason: "fault listed twice") }
            probabilities[kind] = probability
        }
        guard probabilities.values.reduce(0, +) <= 1 + 1e-9 else {
            throw ParseError(part: text, reason: "probabilities add up to more than 1")
        }
        self.probabilities = probabilities
    }

    /// The fault to inject for a roll `roll` in `0..<1`, or `nil` for none (kinds in a fixed order).
    public func fault(forRoll roll: Double) -> Kind? {
        var threshold = 0.0
        for kind in Kind.allCases {
            guard let probability = probabilities[kind], probability > 0 else { continue }
            threshold += probability
            if roll < threshold { return kind }
        }
        return nil
    }

    /// The spec in its textual form (`500:0.05,reset:0.01`).
    public var description: String {
        Kind.allCases.compactMap { kind in probabilities[kind].map { "\(kind.rawValue):\($0)" } }
            .joined(separator: ",")
    }
}
