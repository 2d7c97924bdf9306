fn main() {
    // No arguments: a double-click on juesuan.exe (or `juesuan` typed alone) starts the web page.
    let bare = std::env::args_os().len() == 1;
    let code = match juesuan::cmd::usage::parse(std::env::args_os()) {
        Ok(cli) => juesuan::cmd::run(cli),
        Err(code) => code,
    };
    if bare && code != 0 {
        juesuan::cmd::keep_window_open();
    }
    std::process::exit(code);
}
