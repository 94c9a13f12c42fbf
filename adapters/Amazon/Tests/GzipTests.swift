import Foundation
import Gzip
import Testing

/// The gzip codec behind Amazon's `compressionAlgorithm: GZIP` reports, against bytes Python's `gzip`
/// module wrote (the independent oracle) and against its own output.
@Suite("Gzip")
struct GzipTests {
    /// `gzip.compress(b'{"summary":{"messagesProcessed":1}}', mtime=0)` in Python 3.11.
    static let pythonMember: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xAB, 0x56, 0x2A, 0x2E, 0xCD, 0xCD, 0x4D, 0x2C,
        0xAA, 0x54, 0xB2, 0xAA, 0x56, 0xCA, 0x4D, 0x2D, 0x2E, 0x4E, 0x4C, 0x4F, 0x2D, 0x0E, 0x28, 0xCA, 0x4F, 0x06,
        0x32, 0x53, 0x53, 0x94, 0xAC, 0x0C, 0x6B, 0x6B, 0x01, 0xDE, 0x28, 0x15, 0x16, 0x23, 0x00, 0x00, 0x00,
    ]
    static let pythonText = #"{"summary":{"messagesProcessed":1}}"#

    @Test("a document Python gzipped decompresses to its text, also as two concatenated members")
    func decompressesPythonOutput() throws {
        #expect(Gzip.isCompressed(Self.pythonMember))
        #expect(String(decoding: try Gzip.decompress(Self.pythonMember), as: UTF8.self) == Self.pythonText)
        let twice = try Gzip.decompress(Self.pythonMember + Self.pythonMember)
        #expect(String(decoding: twice, as: UTF8.self) == Self.pythonText + Self.pythonText)
    }

    @Test("a 3 MB report round-trips through compress and decompress, smaller on the wire")
    func roundTrip() throws {
        let line = Array(#"{"messageId":1,"sku":"ABC-123","code":"90220","severity":"ERROR"},"#.utf8)
        var document: [UInt8] = []
        for index in 0..<45_000 { document += line + Array(String(index).utf8) }
        let compressed = Gzip.compress(document)
        #expect(Gzip.isCompressed(compressed))
        #expect(compressed.count < document.count / 5)
        #expect(try Gzip.decompress(compressed) == document)
        #expect(try Gzip.decompress(Gzip.compress([])) == [])
    }

    @Test("cut-short, corrupt, oversized and plain inputs are refused with a reason")
    func refusesBadInput() {
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(Self.pythonMember.prefix(30))) }
        var corrupt = Self.pythonMember
        corrupt[20] ^= 0xFF
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(corrupt) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(Self.pythonText.utf8)) }
        let big = Gzip.compress([UInt8](repeating: 0x20, count: 100_000))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(big, limit: 1_000) }
    }
}
