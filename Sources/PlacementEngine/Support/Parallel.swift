// Running independent work on several threads with Dispatch, deterministically: results come back
// in index order whatever the number of threads or the order work finished in.

import Dispatch
import Foundation
import Synchronization

public enum Parallel {
    /// The default number of worker threads: the machine's active cores.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(i)` for every `i` in `0..<count`, on up to `threads` threads, results in index order.
    /// Each call runs wholly on one thread (what GLPK's thread-local environment needs).
    /// `order` optionally gives the order to start work in (largest first balances the load).
    public static func map<T: Sendable>(_ count: Int, threads: Int, order: [Int]? = nil,
                                        _ body: @Sendable (Int) -> T) -> [T] {
        if count == 0 { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 {
            var out = [T?](repeating: nil, count: count)
            for i in order ?? Array(0..<count) { out[i] = body(i) }
            return out.map { $0! }
        }
        let results = ResultSlots<T>(count: count)
        let next = Atomic<Int>(0)
        let sequence = order ?? Array(0..<count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if k >= count { break }
                let i = sequence[k]
                results.store(body(i), at: i)
            }
        }
        return results.collect()
    }
}

/// Slots written once each by distinct threads (index `i` by exactly one worker), read after all
/// workers joined. The lock makes the hand-over explicit; contention is negligible next to the work.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ value: T, at i: Int) {
        lock.lock(); slots[i] = value; lock.unlock()
    }
    func collect() -> [T] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}

extension Parallel {
    /// `body(i)` for every `i` in `0..<count`, a block of `block` indices (default four per
    /// thread; one on one thread) at a time on up to `threads` threads; after each block
    /// `take(i, result)` runs on the calling thread for the block's results in index order, and
    /// its `false` stops the loop (no later block is computed). So `take` sees the same calls in
    /// the same order as a plain loop on one thread: the answer never depends on the number of
    /// threads, and one thread does no work past the stop (the proof's enumeration stops at the
    /// first placement whose search runs out of budget, and those searches are long).
    public static func forEach<T: Sendable>(_ count: Int, threads: Int, block: Int? = nil,
                                            _ body: @Sendable (Int) -> T, take: (Int, T) -> Bool) {
        let block = threads <= 1 ? 1 : block ?? 4 * threads
        var start = 0
        while start < count {
            let end = min(count, start + max(1, block))
            let first = start
            let results = map(end - first, threads: threads) { body(first + $0) }
            for (k, r) in results.enumerated() where !take(start + k, r) { return }
            start = end
        }
    }
}
