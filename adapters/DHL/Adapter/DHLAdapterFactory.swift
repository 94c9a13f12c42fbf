import Catalog
import Foundation
import Sync

/// Builds DHL Express adapters (platform `dhl`) and checks DHL accounts and channels.
///
/// Account keys: `seller_id` (the DHL Express account number), optional `endpoint` (default
/// ``defaultEndpoint``), `shipper_country`, `shipper_postal_code`, `shipper_city`, `package_cm`
/// (`"20x15x10"`). Channel keys: `destinations` (`"US,GB,DE,AE,JP"`, default `US,GB,DE`) and
/// `receiver_addresses` (`"US|10001|New York;AE||Dubai"`: the representative receiver address each
/// destination is estimated to, over ``ReceiverAddress/defaults``; required for a destination without
/// a default).
/// Credentials file keys: `api_key`, `api_secret` (HTTP Basic, from developer.dhl.com). A DHL channel is
/// a landed-cost source (``landedCostSource(channel:data:fx:)``) for other channels' pricing.
public struct DHLAdapterFactory: AdapterFactory {
    /// The credentials file keys this adapter reads.
    public enum CredentialKey {
        public static let apiKey = "api_key"
        public static let apiSecret = "api_secret"
    }

    /// MyDHL API production (`servers` of the spec); the test host is `…/mydhlapi/test`.
    public static let defaultEndpoint = "https://express.api.dhl.com/mydhlapi"

    public let platform = "dhl"
    /// The shipper's address and the package size.
    public let accountKeys: Set<String> = ["shipper_country", "shipper_postal_code", "shipper_city", "package_cm"]
    /// `destinations`.
    public let channelKeys: Set<String> = ["destinations", "receiver_addresses"]
    /// The options adapters start from before the account's and channel's overrides.
    public let configuration: DHLAdapter.Configuration

    /// A factory whose adapters use `configuration`, overridden by the account's and channel's keys.
    public init(configuration: DHLAdapter.Configuration = .init()) {
        self.configuration = configuration
    }

    /// MyDHL's limits are UNCONFIRMED (`marketplace-apis.md` §7): DHL portal plans give 1–2 calls/s;
    /// 2/s with a burst of 10 is assumed, and the twin enforces the same.
    public func quotas(for account: AccountSettings) -> [OperationQuota] {
        [OperationQuota(operation: DHLAdapter.landedCostOperation, requestsPerSecond: 2, burst: 10)]
    }

    /// Seller id, destinations, shipper country and package size, each naming its key.
    public func check(account: AccountSettings, channel: ChannelSettings) -> [AdapterError] {
        var problems: [AdapterError] = []
        let accountKey = "accounts.\(account.name)"
        if (account.sellerID ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(
                .configuration(key: "\(accountKey).seller_id", message: "required: the DHL Express account number")
            )
        }
        if let text = channel.extra["destinations"], Self.destinations(text) == nil {
            problems.append(
                .configuration(
                    key: "channels[\(channel.name)].destinations",
                    message: "\"\(text)\" is not a comma-separated list of ISO 3166 alpha-2 country codes"
                )
            )
        }
        let receiversKey = "channels[\(channel.name)].receiver_addresses"
        if let text = channel.extra["receiver_addresses"], ReceiverAddress.parse(text) == nil {
            problems.append(
                .configuration(
                    key: receiversKey,
                    message: "\"\(text)\" is not a ;-separated list of COUNTRY|POSTAL CODE|CITY (\"US|10001|New York\")"
                )
            )
        } else {
            let options = configuration(account: account, channel: channel)
            let missing = options.destinations.filter { options.receiverAddresses[$0] == nil }
            if !missing.isEmpty {
                problems.append(
                    .configuration(
                        key: receiversKey,
                        message: "no receiver address for \(missing.joined(separator: ", ")): DHL's landed-cost "
                            + "request needs a postal code and city per destination (\"\(missing[0])|POSTAL|CITY\")"
                    )
                )
            }
        }
        if let text = account.extra["shipper_country"], !CustomsReadiness.isCountryCode(text) {
            problems.append(
                .configuration(key: "\(accountKey).shipper_country", message: "\"\(text)\" is not an ISO-2 code")
            )
        }
        if let text = account.extra["package_cm"], Self.dimensions(text) == nil {
            problems.append(
                .configuration(
                    key: "\(accountKey).package_cm",
                    message: "\"\(text)\" is not LENGTHxWIDTHxHEIGHT in whole centimetres (\"20x15x10\")"
                )
            )
        }
        return problems
    }

    /// The adapter for one channel.
    /// - Throws: ``AdapterError/configuration(key:message:)`` for a setting ``check(account:channel:)``
    ///   reports, ``AdapterError/credentials(key:message:)`` naming a missing credential.
    public func makeAdapter(context: AdapterContext) throws(AdapterError) -> any MarketplaceAdapter {
        try makeDHLAdapter(context: context)
    }

    /// The adapter for one channel, as its concrete type.
    public func makeDHLAdapter(context: AdapterContext) throws(AdapterError) -> DHLAdapter {
        if let problem = check(account: context.account, channel: context.channel).first { throw problem }
        let key = try context.account.credential(CredentialKey.apiKey)
        let secret = try context.account.credential(CredentialKey.apiSecret)
        return DHLAdapter(
            context: context,
            configuration: configuration(account: context.account, channel: context.channel),
            authorization: DHLAdapter.basicAuthorization(key: key, secret: secret),
            quotas: quotas(for: context.account)
        )
    }

    /// The factory's configuration with the account's and channel's overrides.
    public func configuration(account: AccountSettings, channel: ChannelSettings) -> DHLAdapter.Configuration {
        var result = configuration
        if let list = channel.extra["destinations"].flatMap(Self.destinations) { result.destinations = list }
        if let addresses = channel.extra["receiver_addresses"].flatMap(ReceiverAddress.parse) {
            result.receiverAddresses.merge(addresses) { $1 }
        }
        if let country = account.extra["shipper_country"] { result.shipperCountry = country.uppercased() }
        if let postal = account.extra["shipper_postal_code"] { result.shipperPostalCode = postal }
        if let city = account.extra["shipper_city"] { result.shipperCity = city }
        if let size = account.extra["package_cm"].flatMap(Self.dimensions) {
            (result.packageLength, result.packageWidth, result.packageHeight) = size
        }
        return result
    }

    /// What an estimate depends on beyond the SKU: the destinations, the shipper's address, the
    /// package and the account number (`destinations=US,GB,DE;shipper=IN,282001,Agra;package_cm=20x15x10;
    /// account=950000002`). A change makes every SKU of the channel due again; the adapter then asks
    /// only for the estimates whose request changed (``DHLAdapter``), so adding a destination costs one
    /// request per SKU, for that destination.
    public func listingSettings(account: AccountSettings, channel: ChannelSettings) -> String {
        let options = configuration(account: account, channel: channel)
        return [
            "destinations=\(options.destinations.joined(separator: ","))",
            "receivers=\(ReceiverAddress.text(options.receiverAddresses, destinations: options.destinations))",
            "shipper=\(options.shipperCountry),\(options.shipperPostalCode),\(options.shipperCity)",
            "package_cm=\(options.packageLength)x\(options.packageWidth)x\(options.packageHeight)",
            "account=\(account.sellerID ?? "")",
        ].joined(separator: ";")
    }

    /// The estimates `channel` keeps, for channels whose pricing adds them
    /// (`add_landed_cost = "<channel>"`): its destinations, read from the account's `data`.
    public func landedCostSource(channel: ChannelSettings, data: any AdapterDataStore, fx: FXTable)
        -> (any LandedCostSource)?
    {
        let destinations = channel.extra["destinations"].flatMap(Self.destinations) ?? configuration.destinations
        return DHLLandedCostSource(destinations: destinations, data: data, fx: fx)
    }

    /// `account` pointed at the DHL twin under `<baseURL>/dhl`, with sandbox `api_key` / `api_secret`.
    public func sandboxAccount(_ account: AccountSettings, baseURL: String) -> AccountSettings {
        var account = account
        account.endpoint = "\(baseURL)/dhl"
        for key in [CredentialKey.apiKey, CredentialKey.apiSecret] where account.credentials[key] == nil {
            account.credentials[key] = Secret("sandbox-\(key)")
        }
        return account
    }

    /// `"US, gb,DE"` → `["US", "GB", "DE"]` (duplicates dropped), or `nil` when any entry is not ISO-2.
    static func destinations(_ text: String) -> [String]? {
        var result: [String] = []
        for part in text.split(separator: ",") {
            let code = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard CustomsReadiness.isCountryCode(code) else { return nil }
            if !result.contains(code) { result.append(code) }
        }
        return result.isEmpty ? nil : result
    }

    /// `"20x15x10"` → (20, 15, 10), each 1–300 cm.
    static func dimensions(_ text: String) -> (Int, Int, Int)? {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ (1...300).contains($0) }) else { return nil }
        return (parts[0], parts[1], parts[2])
    }
}
