// Output files appear whole or not at all, and the output folder is never missing. Everything is
// written into a fresh staging folder beside the target, which is then swapped with the target
// in one step (Linux's renameat2 with RENAME_EXCHANGE: at every moment the path holds the old
// folder or the new one), and the old folder, now under the staging name, is removed. Where the
// exchange is not supported (another system, or a file system without it) two renames are used,
// with a moment between them when the old folder is only under its retired name.
//
// A run killed while writing leaves `.NAME.partial-PID-TIME` (and, after the two renames,
// `.NAME.previous-PID-TIME`) beside the folder: each run removes those of processes that are gone,
// and puts a retired folder back as the output folder if the folder itself is missing (a kill
// between the two renames).

import Foundation
internal import FileSystemShim

public enum AtomicOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `files` (name -> bytes) as the folder `directory`, replacing its previous contents
    /// (other files the folder held are kept).
    public static func writeDirectory(_ directory: URL, files: [(name: String, data: Data)]) throws(Failure) {
        let fm = FileManager.default
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
        let staging = parent.appendingPathComponent(".\(name).partial-\(token)")
        let retired = parent.appendingPathComponent(".\(name).previous-\(token)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            removeStale(beside: target)
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
            if existed {
                // Anything else the folder holds (files this run does not write) goes into the new
                // folder before the swap, so it is there from the first moment (linked, else copied).
                let ours = Set(files.map(\.name))
                for other in try fm.contentsOfDirectory(atPath: target.path) where !ours.contains(other) {
                    let from = target.appendingPathComponent(other), to = staging.appendingPathComponent(other)
                    do { try fm.linkItem(at: from, to: to) } catch { try fm.copyItem(at: from, to: to) }
                }
                if placement_rename_exchange(staging.path, target.path) == 0 {
                    try? fm.removeItem(at: staging)   // the old folder, now under the staging name
                    return
                }
                guard errno == ENOSYS || errno == EINVAL else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                try fm.moveItem(at: target, to: retired)
                do { try fm.moveItem(at: staging, to: target) } catch {
                    try? fm.moveItem(at: retired, to: target)
                    throw error
                }
                try? fm.removeItem(at: retired)
            } else if placement_rename_noreplace(staging.path, target.path) != 0 {
                guard errno == ENOSYS || errno == EINVAL else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw Failure(description: "cannot move outputs into \(target.path): \(error.localizedDescription)")
        }
    }

    /// Removes the staging and retired folders beside `target` that processes no longer running
    /// left (a kill while writing); a retired folder goes back to `target` when that is missing.
    static func removeStale(beside target: URL) {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent(), name = target.lastPathComponent
        let entries = ((try? fm.contentsOfDirectory(atPath: parent.path)) ?? []).sorted()
        for entry in entries {
            let kind = [".\(name).partial-", ".\(name).previous-"].first { entry.hasPrefix($0) }
            guard let kind, let pid = Int32(entry.dropFirst(kind.count).prefix { $0 != "-" }),
                  pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) != 0, errno == ESRCH else { continue }
            let url = parent.appendingPathComponent(entry)
            if kind.hasSuffix("previous-"), !fm.fileExists(atPath: target.path) {
                try? fm.moveItem(at: url, to: target)
            } else {
                try? fm.removeItem(at: url)
            }
        }
    }
}
