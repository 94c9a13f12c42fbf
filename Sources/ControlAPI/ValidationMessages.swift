/// `POST /v1/validate`: ask a channel's marketplace to check one listing without changing it.
/// Wire keys: `sku`, `channel`.
public struct ValidateRequest: Codable, Hashable, Sendable {
    public var sku: String
    public var channel: String

    public init(sku: String, channel: String) {
        self.sku = sku
        self.channel = channel
    }
}

/// `POST /v1/validate` and `POST /v1/channels/{name}/validate/{sku}` answer: the marketplace's
/// issues, verbatim. Wire keys: `sku`, `channel`, `issues` (each `code`, `message`, `severity`,
/// `attributes`).
public struct ValidationResponse: Codable, Hashable, Sendable {
    /// One issue as the marketplace reported it.
    public struct Issue: Codable, Hashable, Sendable {
        /// The platform's code (`90220`, `INVALID_PRICE`).
        public var code: String
        /// The platform's message, unaltered.
        public var message: String
        /// `ERROR`, `WARNING` or the platform's equivalent.
        public var severity: String
        /// The attributes the issue names.
        public var attributes: [String]

        public init(code: String, message: String, severity: String, attributes: [String] = []) {
            self.code = code
            self.message = message
            self.severity = severity
            self.attributes = attributes
        }

        /// Whether the marketplace would refuse the listing because of this issue.
        public var isError: Bool { severity.uppercased() == "ERROR" }
    }

    public var sku: String
    public var channel: String
    public var issues: [Issue]

    public init(sku: String, channel: String, issues: [Issue]) {
        self.sku = sku
        self.channel = channel
        self.issues = issues
    }
}

/// `POST /v1/channels/{name}/pause|resume` answer. Wire keys: `channel`, `paused`.
public struct ChannelPauseResponse: Codable, Hashable, Sendable {
    public var channel: String
    public var paused: Bool

    public init(channel: String, paused: Bool) {
        self.channel = channel
        self.paused = paused
    }
}
