// The smallest Swift program on L4Re: the stdlib, collections and the L4 library.
@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    print("hello from Embedded Swift on L4Re")
    var squares: [Int] = []
    for i in 1...5 { squares.append(i * i) }
    var names: [String: Int] = ["ipc": 1, "cap": 2, "ds": 3]
    names["bench"] = 4
    print("squares \(squares), \(names.count) names, cap.map=\(names["cap"] ?? -1)")
    var line = Line("tsc_hz=")
    line.append(CPU.tscHz)
    line.append(" cpus=")
    line.append(UInt64(CPU.online))
    line.flush()
    return 0
}
