import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Human tables: columns padded to the widest cell.
enum Table {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}

/// Path segments in URLs.
enum Path {
    /// `value` percent-encoded for one path segment.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// Progress of long work: on a terminal one redrawn line with a bar; otherwise plain lines a log
/// or a script can read, one per update that changed something.
struct Progress {
    /// Whether standard output is a terminal.
    static let isTerminal = isatty(STDOUT_FILENO) == 1
    let label: String
    private var lastLine = ""

    init(label: String) { self.label = label }

    /// Shows `done` of `total`, with `detail` after it.
    mutating func update(done: Int, total: Int, detail: String = "") {
        let suffix = detail.isEmpty ? "" : "  \(detail)"
        if Self.isTerminal {
            let width = 30
            let filled = total > 0 ? min(width, done * width / total) : width
            let percent = total > 0 ? min(100, done * 100 / total) : 100
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = "\(label) [\(bar)] \(percent)% \(done)/\(total)\(suffix)"
            FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            let line = "\(label): \(done)/\(total)\(suffix)"
            guard line != lastLine else { return }
            lastLine = line
            print(line)
            fflush(nil)
        }
    }

    /// Ends the redrawn line (on a terminal) so the summary starts on its own line.
    func finish() {
        if Self.isTerminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
