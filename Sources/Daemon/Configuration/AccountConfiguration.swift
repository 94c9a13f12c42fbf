/// One `[accounts.NAME]` section: one seller account on one platform, which is one quota budget.
public struct AccountConfiguration: Hashable, Sendable {
    /// The section name (`amazon-eu`), which channels refer to.
    public var name: String
    /// The platform whose adapter serves this account (`amazon`, `ebay`, `flipkart`, ...).
    public var platform: String
    /// The platform's region, where it has them (Amazon SP-API: `na`, `eu`, `fe`).
    public var region: String?
    /// The seller's identifier on the platform.
    public var sellerID: String?
    /// The name of the credentials file inside the credentials directory.
    public var credentials: String?
    /// An override of the platform's API base URL (sandbox, tests).
    public var endpoint: String?
    /// An override of the platform's OAuth token URL (sandbox, tests).
    public var tokenEndpoint: String?
    /// Platform-specific settings, kept as text for the platform's adapter to read.
    public var extra: [String: String]

    /// The keys every account has; any other key goes to ``extra``.
    public static let keys = ["platform", "region", "seller_id", "credentials", "endpoint", "token_endpoint"]

    public init(
        name: String,
        platform: String,
        region: String? = nil,
        sellerID: String? = nil,
        credentials: String? = nil,
        endpoint: String? = nil,
        tokenEndpoint: String? = nil,
        extra: [String: String] = [:]
    ) {
        self.name = name
        self.platform = platform
        self.region = region
        self.sellerID = sellerID
        self.credentials = credentials
        self.endpoint = endpoint
        self.tokenEndpoint = tokenEndpoint
        self.extra = extra
    }

    /// Reads one account table; returns `nil` when a required key is missing or wrong.
    init?(name: String, reading table: inout TOMLTableReader, platforms: Set<String>?) {
        let platform = table.string("platform", required: true)
        if let platform, let platforms, !platforms.contains(platform) {
            table.issues.report(
                table.keyPath("platform"),
                "unknown platform \"\(platform)\" (known: \(platforms.sorted().joined(separator: ", ")))"
            )
        }
        let region = table.string("region")
        let sellerID = table.string("seller_id")
        let credentials = table.string("credentials")
        if let credentials, !CredentialStore.isValidName(credentials) {
            table.issues.report(
                table.keyPath("credentials"),
                "must be a plain file name inside the credentials directory, found \"\(credentials)\""
            )
        }
        let endpoint = table.string("endpoint")
        let tokenEndpoint = table.string("token_endpoint")
        for (key, url) in [("endpoint", endpoint), ("token_endpoint", tokenEndpoint)] {
            if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                table.issues.report(table.keyPath(key), "must be an http:// or https:// URL, found \"\(url)\"")
            }
        }
        let extra = table.remainingAsStrings()
        guard let platform else { return nil }
        self.init(
            name: name,
            platform: platform,
            region: region,
            sellerID: sellerID,
            credentials: credentials,
            endpoint: endpoint,
            tokenEndpoint: tokenEndpoint,
            extra: extra
        )
    }
}
