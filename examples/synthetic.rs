//! Writes synthetic departments for measuring the command line (see docs/development.md):
//!
//! ```text
//! cargo run --release --example synthetic -- county 200 /tmp/county   # 200 typical departments
//! cargo run --release --example synthetic -- large /tmp/large.toml    # 2,000 lines, 500 projects
//! ```

use juesuan::synthetic::{self, Shape};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["county", count, dir] => {
            let count: usize = count.parse().expect("个数");
            std::fs::create_dir_all(dir).expect("创建目录");
            for (name, text) in synthetic::county(count, 2023) {
                std::fs::write(std::path::Path::new(dir).join(name), text).expect("写出");
            }
        }
        ["large", file] => {
            std::fs::write(file, synthetic::department(0, Shape::large(), 2023)).expect("写出");
        }
        _ => {
            eprintln!("用法：synthetic county 个数 目录 | synthetic large 文件.toml");
            std::process::exit(2);
        }
    }
}
