/// One way an instance fails its schema: where, which keyword, and why in plain words.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// A JSON Pointer to the failing value (`/bullet_point/0/value`; empty for the whole instance).
    public var instancePath: String
    /// The keyword that failed (`required`, `maxLength`, `enum`, ...).
    public var keyword: String
    /// What is wrong, naming the property or limit.
    public var message: String
    /// The `title` of the innermost schema that holds the failing keyword, when the schema gives one
    /// (Amazon's product type definitions title every attribute: "Bullet Point").
    public var title: String?

    public init(instancePath: String, keyword: String, message: String, title: String? = nil) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
        self.title = title
    }

    /// The first segment of ``instancePath`` (for a listing, the attribute's name), or `nil` at the root.
    public var topLevelProperty: String? {
        instancePath.split(separator: "/", omittingEmptySubsequences: true).first.map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    public var description: String {
        let place = instancePath.isEmpty ? "(root)" : instancePath
        return "\(place): \(message) [\(keyword)]" + (title.map { " (\($0))" } ?? "")
    }
}
