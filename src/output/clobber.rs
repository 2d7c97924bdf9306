//! 输出绝不覆盖本次运行的输入（加不加 --force 都一样）：按文件身份比较，不只比较写法。
//!
//! `build x.md -o .` (a TOML input under a .md name) or `import x.xlsx -o x.xlsx --force` would
//! replace the very file being read. Paths are compared by what they name: the same device and
//! inode on Unix (a hard link, a symbolic link, `./x` and `x`), otherwise the canonical path.

use std::path::Path;

use crate::diagnostic::{Diagnostic, codes};

/// Whether two paths name one existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (ma, mb);
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The F005 refusal when an output would replace an input: the first such pair, or `None`.
pub fn refusal<'a>(
    outputs: impl IntoIterator<Item = &'a Path>,
    inputs: &[&Path],
) -> Option<Diagnostic> {
    outputs.into_iter().find_map(|out| {
        inputs.iter().find(|i| same_file(out, i)).map(|input| {
            Diagnostic::of(
                codes::OUTPUT_UNWRITABLE,
                format!(
                    "输出文件 {} 就是本次的输入文件 {}，输出不会覆盖输入（加 --force 也一样）：未写出任何文件",
                    super::os_error::shown(out),
                    super::os_error::shown(input)
                ),
            )
            .hint("用 -o 指定另一个输出位置；TOML 输入请以 .toml 为扩展名。")
        })
    })
}
