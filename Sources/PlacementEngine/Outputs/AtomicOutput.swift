// Output files appear whole or not at all: everything is written into a fresh folder beside the
// target and swapped in with renames; a failed run leaves an existing output folder as it was.

import Foundation

public enum AtomicOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `files` (name -> bytes) as the folder `directory`, replacing its previous contents.
    public static func writeDirectory(_ directory: URL, files: [(name: String, data: Data)]) throws(Failure) {
        let fm = FileManager.default
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(token)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).previous-\(token)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for f in files {
                try f.data.write(to: staging.appendingPathComponent(f.name), options: .atomic)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw Failure(description: "cannot write outputs under \(parent.path): \(error.localizedDescription)")
        }
        var isDir: ObjCBool = false
        let existed = fm.fileExists(atPath: target.path, isDirectory: &isDir)
        if existed && !isDir.boolValue {
            try? fm.removeItem(at: staging)
            throw Failure(description: "\(target.path) exists and is not a folder")
        }
        do {
            if existed { try fm.moveItem(at: target, to: retired) }
            do {
                try fm.moveItem(at: staging, to: target)
            } catch {
                if existed { try? fm.moveItem(at: retired, to: target) }
                throw error
            }
            if existed {
                // Keep anything else the folder held (files this run does not write).
                let ours = Set(files.map(\.name))
                for name in (try? fm.contentsOfDirectory(atPath: retired.path)) ?? [] where !ours.contains(name) {
                    try? fm.moveItem(at: retired.appendingPathComponent(name), to: target.appendingPathComponent(name))
                }
                try? fm.removeItem(at: retired)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw Failure(description: "cannot move outputs into \(target.path): \(error.localizedDescription)")
        }
    }
}
