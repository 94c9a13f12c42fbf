/// A secret value (client secret, refresh token, API key) that never shows itself.
///
/// `description`, `debugDescription`, string interpolation, `dump`/mirrors and encoding all
/// produce `<redacted>`. The only way to the value is ``withRevealedValue(_:)``, used where the
/// secret goes on the wire.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// What every textual form of a secret prints.
    public static let redacted = "<redacted>"

    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// Calls `body` with the secret's value; keep the value inside the closure.
    public func withRevealedValue<Result, Failure: Error>(
        _ body: (String) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(value)
    }

    /// Whether the value is empty (an empty secret is a configuration mistake).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { Self.redacted }
    public var debugDescription: String { Self.redacted }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret: Codable {
    /// Decodes a secret from a plain string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `<redacted>`, never the value: secrets do not leave the process through encoders.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.redacted)
    }
}
