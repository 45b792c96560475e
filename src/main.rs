//! The `duiyi` binary: parse arguments, run, map errors to exit codes.

fn main() -> std::process::ExitCode {
    duiyi::cli::main()
}
