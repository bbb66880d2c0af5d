/// What the compact reader admits, checked before anything is allocated: a
/// stored run is data from a disk or a pull request, and a few bytes of it must
/// not make a reader allocate gigabytes (a decompression bomb) or trap.
public enum CompactLimits {
    /// Samples a run may declare per byte of its file. Real runs hold 0.2 to 4 per
    /// byte (`Results/`); a group of identical values (`V 0*K`) reaches about 25
    /// per byte of its line at 2,000 samples, so 1,024 is far above any real run.
    public static let samplesPerByte = 1_024
    /// Samples a run may hold at most, whatever its size (256 MiB as 32-bit values).
    public static let maxSamples = 1 << 26
    /// The largest compact file read (the 10-million-sample run of scripts/store-speed.sh is 11 MB).
    public static let maxFileBytes = 256 << 20
    /// (group, round) lines a run may hold (each is a column of its own).
    public static let maxGroupLines = 1 << 20
    /// fail and skip records a run may hold.
    public static let maxNotes = 1 << 16
    /// Distinct metadata keys a run may hold.
    public static let maxMetadataKeys = 4_096
    /// Key fields and round of a group line, in bytes: as a format v1 sample line
    /// (`L4B1,s,KEY,ROUND,ITERATION,CYCLES`) they must fit its 65,536-byte limit.
    public static let maxKeyBytes = ResultsFormat.maxLineLength - 50
    /// Any line but a group line's values, in bytes (as format v1).
    public static let maxLineBytes = ResultsFormat.maxLineLength

    /// The samples a file of `bytes` bytes may declare.
    public static func sampleBudget(fileBytes bytes: Int) -> Int {
        let (byRatio, overflow) = bytes.multipliedReportingOverflow(by: samplesPerByte)
        return overflow ? maxSamples : min(maxSamples, byRatio)
    }
}
