import AmazonModel
import Foundation
import Hummingbird
import TwinSupport

/// The Product Type Definitions 2020-09-01 route, the schema link it hands out, and the sandbox's
/// controls of the definitions' version.
extension AmazonTwin {
    /// `locale` values the model's `getDefinitionsProductType` accepts.
    static let definitionLocales: Set<String> = [
        "DEFAULT", "ar", "ar_AE", "de", "de_DE", "en", "en_AE", "en_AU", "en_CA", "en_GB", "en_IN", "en_SG", "en_US",
        "es", "es_ES", "es_MX", "es_US", "fr", "fr_CA", "fr_FR", "it", "it_IT", "ja", "ja_JP", "nl", "nl_NL", "pl",
        "pl_PL", "pt", "pt_BR", "pt_PT", "sv", "sv_SE", "tr", "tr_TR", "zh", "zh_CN", "zh_TW",
    ]

    func addDefinitionsRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("definitions/2020-09-01/productTypes/:productType") { request, context in
            try await self.guarded(request, .getDefinitionsProductType) { _ in
                self.definition(request, productType: context.parameters.get("productType") ?? "")
            }
        }
        // The stand-in for the presigned schema link: no token, no quota.
        group.get("_schemas/product-types/:productType") { request, context in
            self.schemaDocument(request, productType: context.parameters.get("productType") ?? "")
        }
        group.get("_sandbox/product-types") { _, _ in
            let counts = self.productTypes.counts
            return AmazonResponses.json(
                .ok,
                [
                    "version": .string(self.productTypes.version),
                    "definitionRequests": .int(counts.definitionRequests),
                    "schemaDownloads": .int(counts.schemaDownloads),
                ]
            )
        }
        group.post("_sandbox/product-types/version") { _, _ in
            self.productTypes.publishNewVersion()
            return AmazonResponses.json(.ok, ["version": .string(self.productTypes.version)])
        }
    }

    /// A `ProductTypeDefinition` (definitionsProductTypes_2020-09-01.json) for the query's marketplace,
    /// requirements and locale.
    private func definition(_ request: Request, productType: String) -> Response {
        let rateLimit = quotas.header(.getDefinitionsProductType)
        let query = request.uri.queryParameters
        let ids = (query.get("marketplaceIds") ?? "").split(separator: ",").map { String($0) }
        guard let id = ids.first, ids.count == 1, AmazonMarketplace.withID(id) != nil else {
            return AmazonResponses.invalidInput(
                "'marketplaceIds' must name exactly one known marketplace; got '\(ids.joined(separator: ","))'.",
                rateLimit: rateLimit
            )
        }
        let requirements = query.get("requirements") ?? "LISTING"
        guard ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"].contains(requirements) else {
            return AmazonResponses.invalidInput("Invalid requirements: '\(requirements)'.", rateLimit: rateLimit)
        }
        let enforced = query.get("requirementsEnforced") ?? "ENFORCED"
        guard enforced == "ENFORCED" else {
            // Only the enforced schema is derived from the official file; say so rather than guess.
            return AmazonResponses.invalidInput(
                "The twin serves only requirementsEnforced=ENFORCED definitions; got '\(enforced)'.",
                rateLimit: rateLimit
            )
        }
        let locale = query.get("locale") ?? "DEFAULT"
        guard Self.definitionLocales.contains(locale) else {
            return AmazonResponses.invalidInput("Invalid locale: '\(locale)'.", rateLimit: rateLimit)
        }
        guard !productType.isEmpty else {
            return AmazonResponses.error(
                .notFound,
                code: "NOT_FOUND",
                message: "No product type definition for '\(productType)'.",
                rateLimit: rateLimit
            )
        }
        productTypes.countDefinitionRequest()
        let version = productTypes.version
        // The link names the host the request came to (a presigned link is on a host the caller can reach),
        // so it works wherever the twin runs: in the sandbox or in a test's own server.
        let base = request.head.authority.map { "http://\($0)" } ?? environment.address.baseURL
        let link =
            base + "/amazon/_schemas/product-types/"
            + (productType.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? productType)
            + "?marketplaceId=\(id)&requirements=\(requirements)&version=\(version)"
        let schemaText = productTypes.schemaText(
            .init(productType: productType, marketplaceID: id, requirements: requirements)
        )
        let body: TwinJSON = [
            "schema": [
                "link": ["resource": .string(link), "verb": "GET"],
                "checksum": .string(Self.checksum(schemaText ?? "")),
            ],
            "requirements": .string(requirements),
            "requirementsEnforced": "ENFORCED",
            "propertyGroups": [:],
            "locale": .string(locale),
            "marketplaceIds": .strings([id]),
            "productType": .string(productType),
            "displayName": .string(productType.capitalized),
            "productTypeVersion": [
                "version": .string(version), "latest": .bool(true), "releaseCandidate": .bool(false),
            ],
        ]
        return AmazonResponses.json(.ok, body, rateLimit: rateLimit)
    }

    /// The schema document a definition links to.
    private func schemaDocument(_ request: Request, productType: String) -> Response {
        let query = request.uri.queryParameters
        let variant = TwinProductTypes.Variant(
            productType: productType.removingPercentEncoding ?? productType,
            marketplaceID: query.get("marketplaceId") ?? "ATVPDKIKX0DER",
            requirements: query.get("requirements") ?? "LISTING"
        )
        guard let text = productTypes.schemaText(variant) else {
            return AmazonResponses.error(
                .notFound,
                code: "NoSuchKey",
                message: "The schema does not exist.",
                rateLimit: nil
            )
        }
        productTypes.countSchemaDownload()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// The schema's `checksum`: FNV-1a 64 of the text, base64. Amazon's is a base64 MD5; the twin has no
    /// digest library, and neither it nor the adapter compares checksums (versions decide refreshes).
    static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Data(withUnsafeBytes(of: hash.bigEndian) { Array($0) }).base64EncodedString()
    }
}
