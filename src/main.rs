fn main() {
    std::process::exit(verbatim::cli::main());
}
