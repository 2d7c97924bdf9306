fn main() {
    let code = match juesuan::cmd::usage::parse(std::env::args_os()) {
        Ok(cli) => juesuan::cmd::run(cli),
        Err(code) => code,
    };
    std::process::exit(code);
}
