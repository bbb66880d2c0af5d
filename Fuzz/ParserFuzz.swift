// libFuzzer target for the results parser. Build and run with scripts/fuzz-parser.sh.
// Any input must end in an outcome (a run, maybe with a fault), never a crash;
// the fault must name a line inside the input; and what the cleaner (`ingest`)
// writes must read back without a fault and with the samples it kept.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for lenient in [false, true] {
        let o = ResultsParser.parse(bytes: bytes, source: "fuzz", options: ParseOptions(lenient: lenient))
        if let f = o.fault {
            let lines = bytes.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            precondition(f.line >= 0 && f.line <= lines, "fault line \(f.line) outside the input's \(lines) lines")
            _ = f.description
        }
        var counted = 0
        for g in o.run.groups { counted += g.count }
        precondition(counted == o.run.sampleCount)
        _ = ResultsWriter.text(of: o.run)

        // What ingest writes, report reads.
        let (outcome, text) = ResultsCleaner.clean(bytes: bytes, source: "fuzz", lenient: lenient)
        if !outcome.run.id.isEmpty && !text.isEmpty {
            let back = ResultsParser.parse(bytes: Array(text.utf8), source: "cleaned")
            precondition(back.fault == nil, "cleaned output does not read back: \(String(describing: back.fault))")
            precondition(back.run.sampleCount <= outcome.run.sampleCount)
        }
    }
    return 0
}
