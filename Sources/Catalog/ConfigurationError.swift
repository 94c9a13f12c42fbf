/// A configuration value that cannot be used, naming the key that holds it.
///
/// Keys are dotted paths into the TOML configuration. Parsers of one table report the key
/// relative to that table (`rounding`); callers that know where the table sits prefix it with
/// ``prefixed(by:)`` (`channels[amazon-de].pricing.rounding`).
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dotted path of the offending key (`channels[amazon-de].pricing.rounding`, `fx.JPY`).
    public var key: String
    /// What is wrong with the value, for a human.
    public var message: String

    /// An error about the value at `key`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// The same error with `prefix` and a dot put in front of its key.
    public func prefixed(by prefix: String) -> ConfigurationError {
        ConfigurationError(key: prefix.isEmpty ? key : "\(prefix).\(key)", message: message)
    }

    public var description: String { "\(key): \(message)" }
}
