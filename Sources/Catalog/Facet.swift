/// One independently synced part of a listing.
///
/// Each facet of each (channel, SKU) has its own content hash, so a price edit re-sends the
/// price and nothing else.
public enum Facet: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    /// Title, description, attributes, images and compliance data.
    case content
    /// The channel price after FX and pricing rules.
    case price
    /// The channel quantity after share, buffer and cap.
    case quantity

    public static func < (lhs: Facet, rhs: Facet) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
