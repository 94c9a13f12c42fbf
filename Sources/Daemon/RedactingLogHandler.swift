import Logging
import Store

/// A log handler that takes secrets out of every message and metadata value (``Store/SecretRedactor``)
/// before another handler writes them: an upstream error body logged as a rejection's `reason` or a
/// token failure's `error` never puts a refresh token or client secret into the journal.
///
/// `catalogsyncd` bootstraps the logging system with it around the standard-error stream handler.
public struct RedactingLogHandler: LogHandler {
    private var inner: any LogHandler

    /// Redacts what reaches `inner`.
    public init(wrapping inner: any LogHandler) {
        self.inner = inner
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(SecretRedactor.redact(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.redact)
        inner.log(event: event)
    }

    /// `value` with every string in it redacted.
    static func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(SecretRedactor.redact(text))
        case .stringConvertible(let convertible): .string(SecretRedactor.redact(convertible.description))
        case .array(let values): .array(values.map(redact))
        case .dictionary(let values): .dictionary(values.mapValues(redact))
        }
    }
}
