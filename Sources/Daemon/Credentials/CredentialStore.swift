import Foundation
import Sync
import TOMLKit

/// Reads credentials files (TOML of secret strings) from the credentials directory.
///
/// Under systemd the directory is `$CREDENTIALS_DIRECTORY` (from `LoadCredential=`), which systemd
/// makes readable by the service alone. Otherwise it is the configured `credentials_directory`, and
/// files there that the group or others can read are refused: `chmod 600` them.
///
/// `LoadCredential=catalogsyncd:/etc/catalogsyncd/credentials` (a directory) loads each file `NAME`
/// as the credential `catalogsyncd_NAME`; in a systemd-managed directory that name is tried after `NAME`.
///
/// Which keys a file holds is the platform adapter's business (Amazon: `client_id`,
/// `client_secret`, `refresh_token`); ``Credentials/require(_:)`` names the missing one.
public struct CredentialStore: Sendable {
    /// The directory credentials files are read from.
    public var directory: String
    /// Whether systemd manages ``directory`` (then file modes are not checked).
    public var managedBySystemd: Bool

    /// The credential ID prefix systemd gives files loaded from a directory (`ID_` + file name).
    public static let systemdDirectoryPrefix = "catalogsyncd_"

    public init(directory: String, managedBySystemd: Bool) {
        self.directory = directory
        self.managedBySystemd = managedBySystemd
    }

    /// The store for the daemon's configured (or systemd-provided) credentials directory.
    public init(settings: DaemonSettings) {
        self.init(directory: settings.credentialsDirectory, managedBySystemd: settings.credentialsManagedBySystemd)
    }

    /// Whether `name` is a plain file name: no path separators, not `.`/`..`, not hidden.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && !name.contains("\0")
    }

    /// Reads the credentials file `name`.
    public func credentials(named name: String) throws(CredentialError) -> Credentials {
        guard Self.isValidName(name) else { throw CredentialError(name: name, reason: .invalidName) }
        var path = (directory as NSString).appendingPathComponent(name)
        if managedBySystemd && access(path, F_OK) != 0 {
            path = (directory as NSString).appendingPathComponent(Self.systemdDirectoryPrefix + name)
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw CredentialError(name: name, path: path, reason: .unreadable(String(cString: strerror(errno))))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw CredentialError(name: name, path: path, reason: .notAFile)
        }
        let permissions = status.st_mode & 0o777
        if !managedBySystemd && permissions & 0o077 != 0 {
            throw CredentialError(name: name, path: path, reason: .tooOpen(mode: permissions))
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CredentialError(name: name, path: path, reason: .unreadable("cannot read it as UTF-8 text"))
        }
        return try Self.parse(text, name: name, path: path)
    }

    private static func parse(_ text: String, name: String, path: String) throws(CredentialError) -> Credentials {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            // The parser's own message may quote the text, which is secret: give the position only.
            throw CredentialError(
                name: name,
                path: path,
                reason: .invalidTOML(line: error.source.begin.line, column: error.source.begin.column)
            )
        } catch {
            throw CredentialError(name: name, path: path, reason: .invalidTOML(line: 0, column: 0))
        }
        var values: [String: Secret] = [:]
        for key in table.keys {
            guard let value = table[key], let string = value.string else {
                throw CredentialError(name: name, path: path, reason: .notAString(key: key))
            }
            values[key] = Secret(string)
        }
        return Credentials(name: name, values: values)
    }
}

/// The secrets of one credentials file, by key.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    /// The credentials file's name.
    public var name: String
    /// The secrets by key.
    public var values: [String: Secret]

    public init(name: String, values: [String: Secret]) {
        self.name = name
        self.values = values
    }

    /// The secret under `key`; throws naming the file and the key when it is missing or empty.
    public func require(_ key: String) throws(CredentialError) -> Secret {
        guard let secret = values[key] else { throw CredentialError(name: name, reason: .missingKey(key)) }
        guard !secret.isEmpty else { throw CredentialError(name: name, reason: .emptyKey(key)) }
        return secret
    }

    /// The file name and its keys, never the values.
    public var description: String { "credentials \(name) (keys: \(values.keys.sorted().joined(separator: ", ")))" }
}

/// A credentials file that cannot be used. Its text names the file and key, never a secret.
public struct CredentialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why a credentials file cannot be used.
    public enum Reason: Hashable, Sendable {
        case invalidName
        case unreadable(String)
        case notAFile
        case tooOpen(mode: mode_t)
        case invalidTOML(line: Int, column: Int)
        case notAString(key: String)
        case missingKey(String)
        case emptyKey(String)
    }

    /// The credentials name as configured.
    public var name: String
    /// The file's path, when it was resolved.
    public var path: String?
    public var reason: Reason

    public init(name: String, path: String? = nil, reason: Reason) {
        self.name = name
        self.path = path
        self.reason = reason
    }

    public var description: String {
        let subject = "credentials \"\(name)\"" + (path.map { " (\($0))" } ?? "")
        switch reason {
        case .invalidName:
            return "\(subject): must be a plain file name inside the credentials directory"
        case .unreadable(let why):
            return "\(subject): cannot be read: \(why)"
        case .notAFile:
            return "\(subject): is not a regular file"
        case .tooOpen(let mode):
            let octal = String(mode, radix: 8)
            return "\(subject): mode 0\(octal) lets the group or others read secrets; run chmod 600 on it "
                + "(or use systemd LoadCredential=)"
        case .invalidTOML(let line, let column):
            return "\(subject): is not valid TOML (line \(line), column \(column))"
        case .notAString(let key):
            return "\(subject): key \(key) must be a string"
        case .missingKey(let key):
            return "\(subject): key \(key) is missing"
        case .emptyKey(let key):
            return "\(subject): key \(key) is empty"
        }
    }
}
