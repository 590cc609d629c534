fn main() -> std::process::ExitCode {
    kojo::cli::main()
}
