use clap::Parser;

fn main() {
    let cli = juesuan::cmd::Cli::parse();
    std::process::exit(juesuan::cmd::run(cli));
}
