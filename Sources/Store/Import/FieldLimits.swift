/// The longest text each product field may hold, in characters (DESIGN §4.2): a longer value is a
/// row error naming the field, at import and at `PUT /v1/products/{sku}`, never a listing pushed to
/// a platform (a 10 MB title once took the daemon from 78 MB to 743 MB of memory).
public enum FieldLimits {
    /// `title` and `title@<lang>`.
    public static let title = 500
    /// `description` and `description@<lang>`.
    public static let description = 10_000
    /// One bullet point.
    public static let bulletPoint = 1_000
    /// One attribute's value.
    public static let attributeValue = 2_000
    /// One attribute's name.
    public static let attributeName = 200
    /// One image URL.
    public static let imageURL = 2_000
    /// `brand`, `product_type`, `district`, `hs_code` and other short texts.
    public static let shortText = 500

    /// Why `text` cannot be a value of `field` (longer than `limit` characters, a NUL character), or
    /// `nil` when it can.
    static func problem(_ text: String, field: String, limit: Int) -> String? {
        if text.utf8.contains(0) { return "\(field) contains a NUL character" }
        // Fewer bytes than the limit means fewer characters too; count characters only past it.
        guard text.utf8.count > limit else { return nil }
        let characters = text.count
        guard characters > limit else { return nil }
        return "\(field) has \(characters) characters, at most \(limit) are allowed"
    }
}
