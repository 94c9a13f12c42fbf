/// One thing wrong with a configuration file: where (the key path) and what.
///
/// Key paths use the file's own spelling: `daemon.base_currency`, `accounts.amazon-eu.platform`,
/// `channels[2].pricing.rounding` (channel indexes count from 0, in file order).
public struct ConfigurationIssue: Hashable, Sendable, CustomStringConvertible {
    /// The dotted key path the problem is at, for example `channels[2].pricing.rounding`.
    public var keyPath: String
    /// What is wrong, in words an operator can act on.
    public var message: String

    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}

/// A configuration file that cannot be used, with every problem found in it (not just the first).
public struct ConfigurationFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file the problems are in, as given to the loader.
    public var file: String
    /// Every problem found, in file order where the file has one.
    public var issues: [ConfigurationIssue]

    public init(file: String, issues: [ConfigurationIssue]) {
        self.file = file
        self.issues = issues
    }

    /// One line per issue, each prefixed with the file: `FILE: KEY: message`.
    public var description: String {
        issues.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}
