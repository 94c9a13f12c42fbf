import Sandbox
import Testing

@Suite("FaultSpec parsing")
struct FaultSpecTests {
    @Test("the documented example parses into four kinds with their probabilities")
    func parsesExample() throws {
        let spec = try FaultSpec(parsing: "500:0.05,429:0.05,timeout:0.01,reset:0.01")
        #expect(spec.probabilities == [.internalError: 0.05, .tooManyRequests: 0.05, .timeout: 0.01, .reset: 0.01])
        #expect(try FaultSpec(parsing: "").probabilities.isEmpty)
    }

    @Test(
        "errors name the bad part",
        arguments: [
            ("500:0.1,503:0.2", "503:0.2"),
            ("500:abc", "500:abc"),
            ("reset:1.5", "reset:1.5"),
            ("timeout", "timeout"),
            ("500:0.1,500:0.2", "500:0.2"),
        ]
    )
    func namesBadPart(spec: String, part: String) {
        #expect {
            _ = try FaultSpec(parsing: spec)
        } throws: { error in
            (error as? FaultSpec.ParseError)?.part == part && "\(error)".contains(part)
        }
    }

    @Test("probabilities adding up to more than 1 are refused")
    func refusesOverOne() {
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec(parsing: "500:0.6,429:0.6") }
    }

    @Test("a roll picks the kinds in order of their cumulative probability")
    func rollsPickKinds() throws {
        let spec = try FaultSpec(parsing: "500:0.25,reset:0.25")
        #expect(spec.fault(forRoll: 0.1) == .internalError)
        #expect(spec.fault(forRoll: 0.3) == .reset)
        #expect(spec.fault(forRoll: 0.7) == nil)
    }
}
