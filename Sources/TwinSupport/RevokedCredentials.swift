/// How a twin tells revoked credentials from good ones: it cannot know a seller's real secret, so a
/// credential whose value starts with ``prefix`` stands for one the seller revoked or changed (a refresh
/// token revoked in Seller Central, a reset password, a deleted API client). Each twin's token or login
/// endpoint refuses it in its platform's own words and status, as the platform refuses a wrong one, so tests
/// can show that a refused account is `needs attention` rather than retried forever.
public enum RevokedCredentials {
    /// The value prefix that marks a credential as revoked (`revoked-…`).
    public static let prefix = "revoked-"

    /// Whether any of `values` is marked as revoked.
    public static func contains(_ values: String?...) -> Bool {
        values.contains { $0?.hasPrefix(prefix) == true }
    }
}
