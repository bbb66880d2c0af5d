import Foundation

/// A stand-in for `qemu-system-x86_64` (give its path in `L4BENCH_QEMU`) that
/// plays the guest of `l4bench run --target l4re`: it reads the boot script it
/// is given (the `-initrd` module l4bench.cfg), prints what ned's `print` lines
/// print (with the metadata the guest adds: cpu, tsc_hz, overhead_cycles) and,
/// for each block, its marker and three samples of ipc.roundtrip. With
/// `dieInShard` that shard's guest stops as its second block starts (exit 3), with
/// `hangInShard` it hangs there (shard 0: a boot without shards);
/// `--version` answers like QEMU. Each boot adds its PID to `qemu.pids` beside
/// the stand-in. `varying`: only these pairs' samples change with the round (as
/// non-deterministic groups do under icount); nil: every pair's. Needs only sh and awk.
public enum StandInGuest {
    /// How the stand-in behaves under `-accel kvm`: as a working KVM, one that
    /// QEMU cannot initialise (exits at once), or one that hangs the boot.
    public enum KVM: Sendable { case works, exits, silent }

    /// Writes the stand-in QEMU into `dir` and returns its path.
    public static func qemu(
        in dir: TemporaryDirectory, kvm: KVM = .works, dieInShard: Int? = nil, hangInShard: Int? = nil,
        varying: [String]? = nil
    ) throws -> String {
        let path = dir.file("qemu-standin")
        let kvmBranch: String
        switch kvm {
        case .works: kvmBranch = ""
        case .exits: kvmBranch = #"case " $* " in *" kvm "*) echo "qemu-system-x86_64: failed to initialize kvm: Permission denied"; exit 1;; esac"#
        case .silent: kvmBranch = #"case " $* " in *" kvm "*) echo "Fiasco boots"; while :; do sleep 0.2; done;; esac"#
        }
        let script = #"""
            #!/bin/sh
            cfg=$(printf '%s\n' "$@" | tr ',' '\n' | grep '/l4bench.cfg$' | grep -v ' ' | head -n 1)
            if [ -z "$cfg" ]; then echo "QEMU emulator version 7.2.0 (stand-in)"; exit 0; fi
            echo $$ >> "$(dirname "$0")/qemu.pids"
            \#(kvmBranch)
            awk -v die="\#(dieInShard.map(String.init) ?? "")" -v hang="\#(hangInShard.map(String.init) ?? "")" \
              -v varying=" \#(varying?.joined(separator: " ") ?? "*") " '
            BEGIN { shard = 0 }
            function unquote(s) { sub(/^print\("/, "", s); sub(/"\);$/, "", s); gsub(/\\"/, "\"", s); return s }
            /^local TOTAL = / { total = $4 + 0 }
            /^print\("/ {
              line = unquote($0); print line
              if (line ~ /^L4B1,begin,/) { print "L4B1,meta,cpu,stand-in"; print "L4B1,meta,tsc_hz,1000000000"; print "L4B1,meta,overhead_cycles,10" }
              if (line ~ /^L4B1,meta,shard,/) { split(line, s, ","); split(s[4], k, "/"); shard = k[1] }
              next
            }
            /^block\(/ {
              split($0, q, "\""); r = $0; sub(/^block\(/, "", r); sub(/,.*/, "", r)
              printf "L4BENCH-BLOCK %d/%d round %d %s-%s %s\n", n, total, r, q[2], q[4], q[6]
              if (die != "" && shard == die && n == 1) exit 3
              if (hang != "" && shard == hang && n == 1) { fflush(); system("while :; do sleep 0.2; done") }
              dr = (varying == " * " || index(varying, " " q[2] "-" q[4] " ")) ? r : 0
              for (i = 0; i < 3; i++) printf "cli     | L4B1,s,l4,ipc.roundtrip,%s,%s,%s,words=0,%d,%d,%d\n", q[2], q[4], q[6], r, i, 1000 + i + dr
              n++
            }' "$cfg"
            """#
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }
}
