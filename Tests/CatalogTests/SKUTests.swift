import Catalog
import Testing

struct SKUTests {
    @Test(arguments: ["A", "PETHA-AGRA-500G", "rose_water.250ml", String(repeating: "x", count: 40)])
    func acceptsAllowedCharactersUpToFortyLong(_ raw: String) throws {
        #expect(try SKU(validating: raw).rawValue == raw)
    }

    @Test func rejectsEmptyTooLongAndForeignCharacters() {
        #expect(throws: SKU.ValidationError.empty) { try SKU(validating: "") }
        #expect(throws: SKU.ValidationError.tooLong(length: 41)) {
            try SKU(validating: String(repeating: "x", count: 41))
        }
        #expect(throws: SKU.ValidationError.invalidCharacter(" ")) { try SKU(validating: "AB 12") }
        #expect(throws: SKU.ValidationError.invalidCharacter("पे")) { try SKU(validating: "पेठा") }
    }

    @Test func rejectsTheDirectoryNamesDotAndDotDotButKeepsOtherDots() throws {
        #expect(throws: SKU.ValidationError.dotsOnly(".")) { try SKU(validating: ".") }
        #expect(throws: SKU.ValidationError.dotsOnly("..")) { try SKU(validating: "..") }
        #expect(try SKU(validating: "...").rawValue == "...")
        #expect(try SKU(validating: ".5").rawValue == ".5")
    }
}
