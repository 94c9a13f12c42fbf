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

/// `GET /v1/products/{sku}/validate?channel=C` answer: what the channel's adapter would send for the
/// listing now and what its local check (Amazon: the product type definition) finds, with nothing sent
/// and no quota spent. Wire keys: `sku`, `channel`, `checked_against`, `body` (the request body as JSON text),
/// `issues` (as in ``ValidationResponse``; `code` is the schema keyword, `attributes` the attribute).
public struct ListingPreviewResponse: Codable, Hashable, Sendable {
    public var sku: String
    public var channel: String
    /// The rules checked (`PRODUCT definition version U8…, LISTING, de_DE`).
    public var checkedAgainst: String
    /// The body as it would be sent.
    public var body: String
    public var issues: [ValidationResponse.Issue]

    public init(sku: String, channel: String, checkedAgainst: String, body: String, issues: [ValidationResponse.Issue])
    {
        self.sku = sku
        self.channel = channel
        self.checkedAgainst = checkedAgainst
        self.body = body
        self.issues = issues
    }

    private enum CodingKeys: String, CodingKey {
        case sku, channel, body, issues
        case checkedAgainst = "checked_against"
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
