import NumericCore

/// Stratified permuted blocks for rolling enrolment: each stratum holds a queue of pre-drawn arms;
/// a family enrolled in a stratum takes the next arm of its stratum's current block, and a new block is
/// drawn when the queue is empty. R: `blockrand::blockrand(n, num.levels, block.sizes)` per stratum;
/// Stata: `ralloc`.
///
/// Algorithm (one generator for all strata, consumed in enrolment order):
/// 1. When a family is enrolled in stratum s and s has no arm left in its current block, draw the new
///    block's size: `sizes[integer(below: sizes.count)]` (one draw, even for a single size); build the
///    block holding arm k exactly `size · w_k / S` times (arm 0's copies first, then arm 1's, …) and shuffle
///    it by Fisher–Yates (`RandomGenerator.shuffle`). Blocks of a stratum are numbered 1, 2, ….
/// 2. The family receives the first arm left in the block.
///
/// Every family's marginal probability of arm k is w_k / S (each position of a block is equally likely to
/// hold each slot), and that is the probability recorded. The conditional probability given earlier
/// families of the same block can be 0 or 1 (the last family of a block is predictable to someone who
/// knows the earlier arms): keep the allocation sequence concealed from recruiters.
public struct PermutedBlocks {
    public let allocation: Allocation
    public let sizes: [Int]
    private var queues: [String: [Int]] = [:]
    private var blockNumbers: [String: Int] = [:]
    private var blockSizes: [String: Int] = [:]

    public init(allocation: Allocation, sizes: [Int]) throws {
        let sum = allocation.total
        guard !sizes.isEmpty else {
            throw AssignmentError.invalidAllocation("permuted blocks need at least one block size (randomisation.block_sizes)")
        }
        for size in sizes where size <= 0 || size % sum != 0 { throw AssignmentError.invalidBlockSize(size, ratioSum: sum) }
        self.allocation = allocation
        self.sizes = sizes
    }

    /// The arm for the next family enrolled in `stratum`, with the block it came from.
    public mutating func next(stratum: String, generator: RandomGenerator) -> (arm: Int, block: Int, blockSize: Int) {
        if queues[stratum, default: []].isEmpty {
            let size = sizes[generator.integer(below: sizes.count)]
            var block: [Int] = []
            for (k, w) in allocation.weights.enumerated() {
                block += Array(repeating: k, count: size * w / allocation.total)
            }
            generator.shuffle(&block)
            queues[stratum] = block
            blockNumbers[stratum, default: 0] += 1
            blockSizes[stratum] = size
        }
        let arm = queues[stratum]!.removeFirst()
        return (arm, blockNumbers[stratum]!, blockSizes[stratum]!)
    }
}
