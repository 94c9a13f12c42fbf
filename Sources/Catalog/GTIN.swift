/// A Global Trade Item Number: GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14, check
/// digit verified (GS1 General Specifications §7.9.1: from the right, digits weighted 3, 1, 3, …; the
/// check digit brings the sum to a multiple of 10).
public struct GTIN: Hashable, Sendable {
    /// The kind of number, by its length.
    public enum Kind: String, Sendable {
        case ean8 = "EAN-8"
        case upcA = "UPC-A"
        case ean13 = "EAN-13"
        case gtin14 = "GTIN-14"
    }

    /// Why a text is not a GTIN.
    public enum ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
        case notDigits(String)
        case wrongLength(String, Int)
        case checkDigit(String, expected: Int)

        public var description: String {
            switch self {
            case .notDigits(let text): "\"\(text)\" is not a GTIN: only digits are allowed"
            case .wrongLength(let text, let count):
                "\"\(text)\" is not a GTIN: it has \(count) digits (EAN-8 has 8, UPC-A 12, EAN-13 13, GTIN-14 14)"
            case .checkDigit(let text, let expected):
                "\"\(text)\" is not a GTIN: its check digit is \(text.last!), the digits before it give \(expected)"
            }
        }
    }

    /// The digits as given.
    public let digits: String
    public let kind: Kind

    /// The GTIN `text`, or why it is none.
    public init(validating text: String) throws(ValidationError) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .notDigits(text)
        }
        let kind: Kind
        switch text.utf8.count {
        case 8: kind = .ean8
        case 12: kind = .upcA
        case 13: kind = .ean13
        case 14: kind = .gtin14
        default: throw .wrongLength(text, text.utf8.count)
        }
        let values = text.utf8.map { Int($0 - UInt8(ascii: "0")) }
        let expected = Self.checkDigit(of: values.dropLast())
        guard values.last == expected else { throw .checkDigit(text, expected: expected) }
        digits = text
        self.kind = kind
    }

    /// The GS1 check digit of `body` (every digit but the check digit).
    public static func checkDigit(of body: some BidirectionalCollection<Int>) -> Int {
        var sum = 0
        for (position, digit) in body.reversed().enumerated() {
            sum += digit * (position.isMultiple(of: 2) ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }
}
