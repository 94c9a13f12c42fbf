import Catalog
import Foundation

/// FX rates set on the running daemon (`catalogctl fx set`, `PUT /v1/fx`), kept in the state
/// directory (`fx-overrides.json`) so a restart keeps them.
///
/// The configuration file is never rewritten. Each override remembers the file's rate when it was
/// set; once the file's rate for that currency changes (an operator edited the file and sent
/// `SIGHUP` or restarted), the file is the newer intent and the override is dropped.
public struct FXOverrides: Hashable, Sendable {
    /// One override: the rate in force and the file's rate it replaced (`nil`: the file had none).
    public struct Entry: Hashable, Sendable, Codable {
        public var rate: Decimal
        public var fileRate: Decimal?

        public init(rate: Decimal, fileRate: Decimal?) {
            self.rate = rate
            self.fileRate = fileRate
        }

        private enum CodingKeys: String, CodingKey {
            case rate
            case fileRate = "file_rate"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rate = try Self.decimal(container.decode(String.self, forKey: .rate), key: .rate, in: container)
            fileRate = try container.decodeIfPresent(String.self, forKey: .fileRate).map {
                try Self.decimal($0, key: .fileRate, in: container)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("\(rate)", forKey: .rate)
            try container.encodeIfPresent(fileRate.map { "\($0)" }, forKey: .fileRate)
        }

        private static func decimal(
            _ text: String,
            key: CodingKeys,
            in container: KeyedDecodingContainer<CodingKeys>
        ) throws -> Decimal {
            guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "\"\(text)\" is not a decimal"
                )
            }
            return value
        }
    }

    /// Overrides by currency code.
    public var entries: [String: Entry]

    public init(entries: [String: Entry] = [:]) { self.entries = entries }

    /// The overrides stored at `path`; none when the file does not exist.
    /// - Throws: ``LoadError`` naming the file when it exists but cannot be read or parsed (the
    ///   daemon must not guess rates).
    public static func load(path: String) throws -> FXOverrides {
        guard FileManager.default.fileExists(atPath: path) else { return FXOverrides() }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return FXOverrides(entries: try JSONDecoder().decode([String: Entry].self, from: data))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "\(error)"
            throw LoadError(description: "cannot read the FX overrides \(path): \(reason)")
        }
    }

    /// Why the overrides file could not be loaded, naming it.
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the overrides to `path` atomically (a crash leaves the old file or the new one).
    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(entries).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Drops every override whose currency's rate in `file` differs from the rate it replaced.
    /// Returns the currency codes dropped.
    public mutating func dropSuperseded(by file: DaemonConfiguration) -> [String] {
        let superseded = entries.filter { code, entry in
            Currency(code: code).flatMap { file.fxRates[$0] } != entry.fileRate
        }.keys.sorted()
        for code in superseded { entries[code] = nil }
        return superseded
    }

    /// `file` with the overridden rates in force.
    public func applied(to file: DaemonConfiguration) -> DaemonConfiguration {
        var effective = file
        for (code, entry) in entries {
            if let currency = Currency(code: code) { effective.fxRates[currency] = entry.rate }
        }
        return effective
    }

    /// The overridden rates by currency.
    public var rates: [Currency: Decimal] {
        Dictionary(
            entries.compactMap { code, entry in Currency(code: code).map { ($0, entry.rate) } },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
