import Foundation
import TwinSupport

/// Checks a JSON body against a schema of Walmart's OpenAPI models (`../shared/specs/walmart/*.json`) with
/// the twins' shared contract validator (``TwinSupport/PublishedContract``, ``TwinSupport/JSONSchemaValidator``),
/// one contract per model file.
public struct WalmartModelCheck: Sendable {
    /// The loaded models by file name (`us-mp-price.json`).
    private let contracts: [String: PublishedContract]

    /// The models in `directory`; `nil` when a file is missing or not JSON.
    public init?(directory: URL, files: [String] = ["us-mp-price.json", "us-mp-inventory.json", "us-mp-feeds.json"]) {
        var contracts: [String: PublishedContract] = [:]
        for file in files {
            guard let contract = PublishedContract.load(file: directory.appendingPathComponent(file)) else {
                return nil
            }
            contracts[file] = contract
        }
        self.contracts = contracts
    }

    /// The models from the specs folder (``TwinSupport/PublishedContract/specsDirectory(environment:sourceFile:)``:
    /// `CATALOGSYNC_SPECS_DIR`, else `../shared/specs`); `nil` when it does not hold them (the twin then
    /// checks only what it reads itself).
    public static func locate() -> WalmartModelCheck? {
        PublishedContract.specsDirectory().flatMap {
            WalmartModelCheck(directory: $0.appendingPathComponent("walmart"))
        }
    }

    /// The problems of `body` against schema `schema` of `file`, each `path: message`; empty when valid.
    public func problems(_ body: [UInt8], file: String, schema: String) -> [String] {
        guard let contract = contracts[file] else { return ["\(file) is not loaded"] }
        guard let value = try? JSONValue.parse(Data(body)) else { return ["$: not JSON"] }
        return contract.violations(of: value, schemaNamed: schema).map(\.description)
    }
}
