//! The `mailward` command line: `analyze` single messages, `scan` directories, mbox files and
//! Maildirs. A thin layer over `mailward-core`.

fn main() {
    println!("mailward {}", env!("CARGO_PKG_VERSION"));
}
