/// Every path and limit of the Shopclues merchant API the adapter relies on, in one place, each marked
/// with what confirms it. Shopclues publishes the capability of its catalog calls ("updates of MRP,
/// selling price and stock", marketplace-apis.md §6 [SC-CAT]) but not their paths or bodies: the
/// UNCONFIRMED values below are the contract the twin serves, to be replaced here (and the body shapes
/// in ``ShopcluesWire``) once Shopclues confirms them.
enum ShopcluesContract {
    /// Documented [SC-LOGIN]: the production token URL (password grant, JSON body, `expires_in` 3600).
    static let productionTokenURL = "https://auth.shopclues.com/loginToken.php"
    /// Documented [SC-LOGIN]: the sandbox token path under the sandbox host
    /// (`http://sandbox.shopclues.com/oauth/loginToken.php`); an account `endpoint` is such a host.
    static let tokenPath = "/oauth/loginToken.php"
    /// Documented [SC-LOGIN]: the only grant for merchant catalog calls. The client-credentials grant is
    /// documented for the sandbox's public APIs only (`/oauth/token.php`) and is not used.
    static let grantType = "password"

    /// UNCONFIRMED: the API host (the developer portal's host; the production API host is not published).
    static let productionEndpoint = "https://developer.shopclues.com"
    /// UNCONFIRMED: the MRP and selling price update call.
    static let updatePricePath = "/api/v1/product/update_price"
    /// UNCONFIRMED: the stock update call.
    static let updateStockPath = "/api/v1/product/update_stock"
    /// UNCONFIRMED: the most products one update call takes.
    static let maximumProductsPerCall = 50
}
