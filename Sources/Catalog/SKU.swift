/// A seller's stock-keeping unit: 1–40 characters of `A–Z a–z 0–9 . _ -`.
///
/// Every SKU in the system went through ``init(validating:)``, so code that holds an
/// `SKU` never has to check it again.
public struct SKU: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The SKU exactly as the seller wrote it.
    public let rawValue: String

    /// The longest SKU accepted (Amazon's and Flipkart's common limit).
    public static let maximumLength = 40

    /// Why a string is not a valid SKU.
    public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(length: Int)
        case invalidCharacter(Character)
        /// `.` or `..`: names of directories in every path a SKU is part of (`/v1/products/..`).
        case dotsOnly(String)

        public var description: String {
            switch self {
            case .empty: "SKU is empty"
            case .tooLong(let length): "SKU has \(length) characters, at most \(SKU.maximumLength) are allowed"
            case .invalidCharacter(let character):
                "SKU contains \"\(character)\"; only A–Z a–z 0–9 . _ - are allowed"
            case .dotsOnly(let text): "SKU \"\(text)\" is not allowed: it names a directory in paths"
            }
        }
    }

    /// Validates `rawValue` and wraps it.
    /// - Throws: ``ValidationError`` naming what is wrong.
    public init(validating rawValue: String) throws(ValidationError) {
        guard !rawValue.isEmpty else { throw .empty }
        guard rawValue.utf8.count <= Self.maximumLength else { throw .tooLong(length: rawValue.count) }
        guard rawValue != "." && rawValue != ".." else { throw .dotsOnly(rawValue) }
        for character in rawValue where !character.unicodeScalars.allSatisfy(Self.isAllowed) {
            throw .invalidCharacter(character)
        }
        self.rawValue = rawValue
    }

    /// Wraps a string already known to be valid (read back from the store).
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: SKU, rhs: SKU) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}

extension SKU: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(validating: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
