import CCurl

/// Process-wide libcurl set-up, run once before the first handle is created.
enum CurlGlobal {
    /// `curl_global_init` with OpenSSL's `atexit` cleanup disabled and SIGPIPE ignored (see `ccurl_global_init_once`).
    ///
    /// A lazy global initialises exactly once, thread-safely (`swift_once`), as swift-corelibs-foundation does.
    private static let initialization: CURLcode = ccurl_global_init_once()

    /// Initialises libcurl if that has not happened yet and reports whether it succeeded.
    static func initialize() throws(HTTPClientError) {
        let code = initialization
        guard code == CURLE_OK else {
            throw HTTPClientError(curlCode: code, detail: "curl_global_init failed", url: "")
        }
    }

    /// The libcurl version string of the loaded library, e.g. `"7.88.1"`.
    static var version: String {
        guard let info = ccurl_version_info_now(), let version = info.pointee.version else { return "unknown" }
        return String(cString: version)
    }

    /// Whether the loaded libcurl reports `CURL_VERSION_THREADSAFE` (thread-safe global init, 7.84+).
    static var isThreadSafe: Bool {
        guard let info = ccurl_version_info_now() else { return false }
        return info.pointee.features & Int32(CURL_VERSION_THREADSAFE) != 0
    }
}
