import Foundation
import TOMLKit

/// Collects configuration issues while a file is read, so that one pass reports all of them.
final class IssueCollector {
    private(set) var issues: [ConfigurationIssue] = []

    func report(_ keyPath: String, _ message: String) {
        issues.append(ConfigurationIssue(keyPath: keyPath, message: message))
    }
}

/// Reads typed values out of one TOML table, naming the full key path in every issue and
/// remembering which keys were read so that unknown keys can be reported.
struct TOMLTableReader {
    let table: TOMLTable
    /// The key path of this table (`""` for the document root).
    let path: String
    let issues: IssueCollector
    private var readKeys: Set<String> = []

    init(table: TOMLTable, path: String, issues: IssueCollector) {
        self.table = table
        self.path = path
        self.issues = issues
    }

    /// The key path of `key` inside this table.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func value(_ key: String) -> TOMLValueConvertible? {
        readKeys.insert(key)
        return table[key]
    }

    /// A string value; reports a missing required key or a value of another type.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key) else {
            if required { issues.report(keyPath(key), "is required (a string)") }
            return nil
        }
        guard let text = value.string else {
            issues.report(keyPath(key), "must be a string, found \(value.type)")
            return nil
        }
        if required && text.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.report(keyPath(key), "must not be empty")
            return nil
        }
        return text
    }

    /// An optional string that must not be empty when present (paths, codes).
    mutating func nonEmptyString(_ key: String) -> String? {
        guard table[key] != nil else {
            readKeys.insert(key)
            return nil
        }
        return string(key, required: true)
    }

    /// Whether the table sets `key` at all.
    func contains(_ key: String) -> Bool { table[key] != nil }

    /// An integer value; reports a value of another type.
    mutating func integer(_ key: String) -> Int? {
        guard let value = value(key) else { return nil }
        guard value.type == .int, let number = value.int else {
            issues.report(keyPath(key), "must be an integer, found \(value.type)")
            return nil
        }
        return number
    }

    /// A number, integer or floating point; reports a value of another type.
    mutating func number(_ key: String) -> Double? {
        guard let value = value(key) else { return nil }
        if value.type == .int, let number = value.int { return Double(number) }
        guard value.type == .double, let number = value.double else {
            issues.report(keyPath(key), "must be a number, found \(value.type)")
            return nil
        }
        return number
    }

    /// A sub-table; reports a value of another type.
    mutating func table(_ key: String) -> TOMLTableReader? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else {
            issues.report(keyPath(key), "must be a table, found \(value.type)")
            return nil
        }
        return TOMLTableReader(table: table, path: keyPath(key), issues: issues)
    }

    /// An array of tables (`[[key]]`); reports a value of another shape.
    mutating func arrayOfTables(_ key: String) -> [TOMLTableReader] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else {
            issues.report(keyPath(key), "must be an array of tables ([[\(key)]]), found \(value.type)")
            return []
        }
        var readers: [TOMLTableReader] = []
        for (index, element) in array.enumerated() {
            let elementPath = "\(keyPath(key))[\(index)]"
            guard let table = element.table else {
                issues.report(elementPath, "must be a table, found \(element.type)")
                continue
            }
            readers.append(TOMLTableReader(table: table, path: elementPath, issues: issues))
        }
        return readers
    }

    /// Every key of this table that has not been read yet, in sorted order.
    var unreadKeys: [String] { table.keys.filter { !readKeys.contains($0) }.sorted() }

    /// Reports every key not read so far as unknown, naming the keys this table accepts.
    mutating func reportUnknownKeys(accepted: [String]) {
        for key in unreadKeys {
            issues.report(keyPath(key), "unknown key (accepted here: \(accepted.joined(separator: ", ")))")
        }
        readKeys.formUnion(table.keys)
    }

    /// The keys not read so far as text, for platform-specific settings that adapters read later.
    ///
    /// Strings are kept as they are, integers and booleans as their TOML spelling; floats, tables,
    /// arrays and dates are reported, since adapters expect plain values.
    mutating func remainingAsStrings() -> [String: String] {
        var extras: [String: String] = [:]
        for key in unreadKeys {
            guard let value = value(key) else { continue }
            switch value.type {
            case .string: extras[key] = value.string
            case .int: extras[key] = value.int.map(String.init)
            case .bool: extras[key] = value.bool.map { $0 ? "true" : "false" }
            default:
                issues.report(keyPath(key), "must be a string, integer or boolean, found \(value.type)")
            }
        }
        return extras
    }

    /// Every value of this table as a decimal string (strings, or integers written bare), for
    /// money and rates. Floats are refused: binary floating point never carries money.
    mutating func decimalStrings() -> [String: String] {
        var result: [String: String] = [:]
        for key in table.keys.sorted() {
            guard let value = value(key) else { continue }
            switch value.type {
            case .string: result[key] = value.string
            case .int: result[key] = value.int.map(String.init)
            case .double:
                issues.report(keyPath(key), "write decimal numbers as strings (\(key) = \"1.50\"), not as floats")
            default:
                issues.report(keyPath(key), "must be a decimal string, found \(value.type)")
            }
        }
        return result
    }

    /// Every value of this table as an integer.
    mutating func integers() -> [String: Int] {
        var result: [String: Int] = [:]
        for key in table.keys.sorted() {
            if let number = integer(key) { result[key] = number }
        }
        return result
    }
}
