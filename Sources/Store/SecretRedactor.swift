/// Takes secrets out of text a platform sent back — an error body that echoes the request, a token
/// endpoint's answer — before it is stored (`last_error`, dead letters) or shown (status, events).
///
/// An eBay token endpoint that echoed its request once put the refresh token and the client secret
/// into `last_error`, readable by anyone who may read the control socket. What is redacted: the
/// values of secret-looking keys in JSON (`"client_secret": "…"`) and in forms or query strings
/// (`refresh_token=…`), `Authorization` / `x-amz-access-token` / API-key header values, bearer and
/// basic credentials, and Login with Amazon tokens (`Atza|…`, `Atzr|…`). The rest of the text stays,
/// so the platform's own words still explain what went wrong.
public enum SecretRedactor {
    /// What replaces each secret.
    public static let mask = "[redacted]"

    /// Keys whose values are secrets, wherever they appear.
    static let secretKeys =
        "client_secret|refresh_token|access_token|id_token|assertion|password|passwd|api_key|apikey|"
        + "api_secret|app_secret|secret|token|code_verifier|authorization|x-amz-access-token|x-api-key"

    /// `text` with every secret it holds replaced by ``mask``.
    public static func redact(_ text: String) -> String {
        // Fast path: most messages hold nothing that looks like a key or a token.
        let lower = text.lowercased()
        guard
            [
                "secret", "token", "password", "passwd", "key", "authorization", "bearer", "basic ", "atz", "assertion",
                "code_verifier",
            ].contains(where: lower.contains)
        else { return text }
        var result = text
        let keys = secretKeys
        // Each pattern's group 1 is kept before the mask and group 2 after it.
        let patterns = [
            // "client_secret": "value"  (JSON, escaped quotes inside the value included)
            #"(?i)("(?:\#(keys))"\s*:\s*")(?:[^"\\]|\\.)*(")"#,
            // client_secret=value  (form bodies, query strings)
            #"(?i)((?:^|[?&\s"'])(?:\#(keys))=)[^&\s"']+()"#,
            // Authorization: Bearer value, x-amz-access-token: value  (headers echoed as text)
            #"(?i)((?:authorization|x-amz-access-token|x-api-key)\s*:\s*)(?:(?:bearer|basic)\s+)?[^\s",;]+()"#,
            // Bearer value, Basic value  (credentials anywhere else; long enough not to be a word)
            #"(?i)(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{16,}()"#,
            // Login with Amazon access and refresh tokens
            #"()Atz[ar]\|[A-Za-z0-9._~+/=|-]+()"#,
        ]
        for pattern in patterns {
            guard let regex = try? Regex(pattern) else { continue }
            result = result.replacing(regex) { match in
                (match.output[1].substring ?? "") + mask + (match.output[2].substring ?? "")
            }
        }
        return result
    }
}
