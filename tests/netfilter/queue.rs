//! Whether this kernel has nftables' `queue` expression (`nft_queue`), and
//! the stand-in the tests load where it has not. kojo's nftables files
//! send inline flows to `chain gateway { queue num 0 }`; a kernel built
//! without `nft_queue` refuses the whole file (`nft -c` too). Where that
//! happens the tests load the same file with `queue num 0` replaced by
//! `drop` (same chains, same jumps) and say, in their output, that the
//! queue statement itself was not checked on this kernel. Debian's kernels
//! have `nft_queue`, so there the files are checked and loaded unchanged.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The statement kojo writes in `chain gateway`.
pub const QUEUE: &str = "queue num 0";

/// Whether this kernel lacks nothing for `queue num 0`: false only when
/// `nft -c` accepts the same table with `accept` and refuses it with the
/// queue. When `nft -c` cannot check even that (nft missing, not root),
/// the queue is not blamed: the files are used as generated, and the
/// loader's own error says what is wrong.
pub fn kernel_has_queue() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        if let Err(why) = nft_checks("accept") {
            eprintln!("NOTE: `nft -c` refuses a one-rule table without `queue` ({why}); nft_queue not probed");
            return true;
        }
        nft_checks(QUEUE).is_ok()
    })
}

/// Whether `nft -c` accepts a table whose one chain holds `statement`;
/// nft's error when not.
fn nft_checks(statement: &str) -> Result<(), String> {
    let probe = format!("table inet kojo_queue_probe {{\n\tchain c {{\n\t\t{statement}\n\t}}\n}}\n");
    let mut child = Command::new("nft")
        .args(["-c", "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("nft: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(probe.as_bytes());
    }
    let output = child.wait_with_output().map_err(|e| format!("nft: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

#[allow(dead_code)] // not every test binary that includes this module loads nft files
/// `text` as this kernel can load it, and the note to print when the queue
/// had to be replaced.
pub fn loadable(text: &str, what: &str) -> (String, Option<String>) {
    if !text.contains(QUEUE) || kernel_has_queue() {
        return (text.to_string(), None);
    }
    let note = format!(
        "NOTE: this kernel has no nftables `queue` expression (nft_queue): {what} was loaded with \
         `{QUEUE}` replaced by `drop`; the queue statement itself was NOT checked here"
    );
    (text.replace(QUEUE, "drop"), Some(note))
}
