/// What the listing verifier last read back for one listing, in `GET /v1/products/{sku}/listings`.
///
/// Wire keys: `checked_at` (ISO 8601, UTC), `status` (`active`, `inactive`, `suppressed`, `missing`),
/// `platform_status` (the platform's words: `BUYABLE,DISCOVERABLE`, `PUBLISHED`), `issues` (the
/// platform's listing issues verbatim: `code`, `message`, `severity`, `attribute_names`), `drift` (the
/// last drift found: `drift: price 24.99 on amazon-de, expected 22.99`, kept after its repair) and
/// `drift_at`.
public struct LiveListingState: Codable, Hashable, Sendable {
    /// One issue the platform reports on the listing (Amazon's `issues` of `getListingsItem`).
    public struct Issue: Codable, Hashable, Sendable {
        public var code: String
        public var message: String
        public var severity: String
        public var attributeNames: [String]

        public init(code: String, message: String, severity: String, attributeNames: [String] = []) {
            self.code = code
            self.message = message
            self.severity = severity
            self.attributeNames = attributeNames
        }

        private enum CodingKeys: String, CodingKey {
            case code, message, severity
            case attributeNames = "attribute_names"
        }
    }

    public var checkedAt: String
    public var status: String
    public var platformStatus: String?
    public var issues: [Issue]
    public var drift: String?
    public var driftAt: String?

    public init(
        checkedAt: String,
        status: String,
        platformStatus: String? = nil,
        issues: [Issue] = [],
        drift: String? = nil,
        driftAt: String? = nil
    ) {
        self.checkedAt = checkedAt
        self.status = status
        self.platformStatus = platformStatus
        self.issues = issues
        self.drift = drift
        self.driftAt = driftAt
    }

    private enum CodingKeys: String, CodingKey {
        case checkedAt = "checked_at"
        case status
        case platformStatus = "platform_status"
        case issues, drift
        case driftAt = "drift_at"
    }
}

/// A channel's listing verifier in `GET /v1/status`.
///
/// Wire keys: `last_pass_at` (ISO 8601, UTC; absent before the first complete pass), `last_pass_checked`
/// and `last_pass_drifted` (that pass's listings read and drifts found), `pass_checked` and
/// `pass_drifted` (the pass under way), `total_checked`, `total_drifted`, `last_error` (why the last read
/// failed, in the platform's words; absent once a read succeeds).
public struct VerificationSummary: Codable, Hashable, Sendable {
    public var lastPassAt: String?
    public var lastPassChecked: Int
    public var lastPassDrifted: Int
    public var passChecked: Int
    public var passDrifted: Int
    public var totalChecked: Int
    public var totalDrifted: Int
    public var lastError: String?

    public init(
        lastPassAt: String? = nil,
        lastPassChecked: Int = 0,
        lastPassDrifted: Int = 0,
        passChecked: Int = 0,
        passDrifted: Int = 0,
        totalChecked: Int = 0,
        totalDrifted: Int = 0,
        lastError: String? = nil
    ) {
        self.lastPassAt = lastPassAt
        self.lastPassChecked = lastPassChecked
        self.lastPassDrifted = lastPassDrifted
        self.passChecked = passChecked
        self.passDrifted = passDrifted
        self.totalChecked = totalChecked
        self.totalDrifted = totalDrifted
        self.lastError = lastError
    }

    private enum CodingKeys: String, CodingKey {
        case lastPassAt = "last_pass_at"
        case lastPassChecked = "last_pass_checked"
        case lastPassDrifted = "last_pass_drifted"
        case passChecked = "pass_checked"
        case passDrifted = "pass_drifted"
        case totalChecked = "total_checked"
        case totalDrifted = "total_drifted"
        case lastError = "last_error"
    }
}
