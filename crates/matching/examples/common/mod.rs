//! Shared by the speed examples.

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// CPU time (user and system) spent so far, in seconds, by this process (`/proc/self/stat`)
/// or by the calling thread (`/proc/thread-self/stat`); 0 elsewhere. Unlike wall time it
/// does not grow when other programs take the cores, so it compares builds on a busy machine.
#[allow(dead_code)] // used by some of the examples only
pub fn cpu_seconds(thread: bool) -> f64 {
    let path = if thread {
        "/proc/thread-self/stat"
    } else {
        "/proc/self/stat"
    };
    // The command name (field 2) may hold spaces: fields are counted after its ")".
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            let rest = s.get(s.rfind(')')? + 1..)?.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}
