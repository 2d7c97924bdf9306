//! 字体：随程序内置开源中文字体；系统装有公文字体时优先使用；缺字报错而不是出“豆腐块”。
//!
//! Bundled (OFL, licences in `fonts/`): 朱雀仿宋 renamed “Juesuan Fangsong” (body text), Noto Serif
//! CJK SC and Noto Sans CJK SC, and 霞鹜文楷 renamed “Juesuan Kai”, each subset to GBK plus the
//! symbols Typst emits (朱雀仿宋 has all of GB2312 but not all of GBK: Noto Serif follows it in the
//! 仿宋 list, so a rarer character falls back to it and never becomes tofu). When the system has
//! the official 公文 fonts (仿宋_GB2312 / 仿宋, 黑体, 楷体_GB2312 / 楷体, 宋体, 方正小标宋) or full
//! Noto CJK, they are loaded too and come first in each family list; `--font-dir` adds directories
//! to search.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst::utils::LazyHash;

static SERIF: &[u8] = include_bytes!("../../fonts/NotoSerifCJKsc-Regular-GBK.otf");
static SANS: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Regular-GBK.otf");
static KAI: &[u8] = include_bytes!("../../fonts/JuesuanKai-Regular-GBK.ttf");
static FANG: &[u8] = include_bytes!("../../fonts/JuesuanFangsong-Regular-GBK.ttf");

/// Family names, most preferred first, for each role in the 公文 layout. The templates receive
/// these lists; the bundled family closes each list so something always matches.
pub const FANGSONG: &[&str] = &[
    "FangSong_GB2312",
    "仿宋_GB2312",
    "FangSong",
    "仿宋",
    "STFangsong",
    "Juesuan Fangsong",
    "Noto Serif CJK SC",
];
pub const HEITI: &[&str] = &["SimHei", "黑体", "STHeiti", "Noto Sans CJK SC"];
pub const KAITI: &[&str] = &[
    "KaiTi_GB2312",
    "楷体_GB2312",
    "KaiTi",
    "楷体",
    "STKaiti",
    "Juesuan Kai",
];
pub const SONGTI: &[&str] = &["SimSun", "宋体", "STSong", "Noto Serif CJK SC"];
/// The document title's 小标宋. No open 小标宋 exists: when none of these is installed the
/// templates draw the 宋体 list with a stroke (see `title-text` in common/gongwen.typ).
pub const XIAOBIAOSONG: &[&str] = &[
    "FZXiaoBiaoSong-B05S",
    "FZXiaoBiaoSong-B05",
    "方正小标宋简体",
    "方正小标宋_GBK",
    "方正小标宋",
];

/// The family lists the templates receive (`fonts.fangsong` …), as Typst array literals. They do
/// not depend on what is installed, so a `.typ` file is the same on every machine.
#[derive(serde::Serialize)]
pub struct TemplateFonts {
    pub fangsong: String,
    pub heiti: String,
    pub kaiti: String,
    pub songti: String,
    pub xiaobiaosong: String,
}

impl TemplateFonts {
    pub fn new() -> TemplateFonts {
        TemplateFonts {
            fangsong: fangsong_list(),
            heiti: typst_list(HEITI),
            kaiti: typst_list(KAITI),
            songti: typst_list(SONGTI),
            xiaobiaosong: typst_list(XIAOBIAOSONG),
        }
    }
}

impl Default for TemplateFonts {
    fn default() -> Self {
        Self::new()
    }
}

/// Where system fonts usually are.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
        PathBuf::from("/System/Library/Fonts"),
        PathBuf::from("/Library/Fonts"),
    ];
    // Windows: the system folder where Windows really is, and fonts a user installed for
    // themselves only (Windows 10 and later put those under the profile).
    match std::env::var_os("WINDIR") {
        Some(windir) => dirs.push(PathBuf::from(windir).join("Fonts")),
        None if cfg!(windows) => dirs.push(PathBuf::from("C:\\Windows\\Fonts")),
        None => {}
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(
            PathBuf::from(local)
                .join("Microsoft")
                .join("Windows")
                .join("Fonts"),
        );
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// Which fonts to use.
#[derive(Clone, Debug, Default)]
pub struct FontOptions {
    /// Only the bundled fonts: the same PDF on every machine (tests and golden files use this).
    pub bundled_only: bool,
    /// Extra directories to search.
    pub dirs: Vec<PathBuf>,
}

/// The fonts loaded for one build (or one engine).
pub struct FontBook {
    pub fonts: Vec<Font>,
    /// Typst's index of the same fonts, made on first compile.
    typst: OnceLock<LazyHash<typst::text::FontBook>>,
    /// Every codepoint some font covers, one bit each, made on the first [`FontBook::covers`].
    covered: OnceLock<Vec<u64>>,
}

impl FontBook {
    pub fn load(options: &FontOptions) -> FontBook {
        let mut fonts = Vec::new();
        // The folders given first, then the system's: a family found in both comes from the former.
        let mut dirs = options.dirs.clone();
        if !options.bundled_only {
            dirs.extend(system_dirs());
        }
        for dir in &dirs {
            scan(dir, &mut fonts);
        }
        for data in [FANG, SERIF, SANS, KAI] {
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        FontBook {
            fonts,
            typst: OnceLock::new(),
            covered: OnceLock::new(),
        }
    }

    /// Typst's font index of these fonts, in the same order (a font's index is its place in
    /// `fonts`).
    pub fn typst_book(&self) -> &LazyHash<typst::text::FontBook> {
        self.typst.get_or_init(|| {
            LazyHash::new(typst::text::FontBook::from_infos(
                self.fonts.iter().map(|f| f.info().clone()),
            ))
        })
    }

    /// Whether any loaded font has a glyph for `c` (Typst falls back across all of them).
    ///
    /// Typst's coverage of a font is a list of runs searched from the start: asked for each of
    /// the 900 distinct characters of a document, over five fonts, that was 40 million
    /// instructions (2% of a build). The union as a bit set costs one pass over the codepoints.
    pub fn covers(&self, c: char) -> bool {
        let bits = self.covered.get_or_init(|| {
            let mut bits = vec![0u64; (char::MAX as usize + 1).div_ceil(64)];
            for font in &self.fonts {
                for cp in font.info().coverage.iter() {
                    if let Some(word) = bits.get_mut(cp as usize / 64) {
                        *word |= 1 << (cp % 64);
                    }
                }
            }
            bits
        });
        let cp = c as usize;
        bits[cp / 64] & (1 << (cp % 64)) != 0
    }
}

/// Wanted families, lower-cased, from every role list.
fn wanted(family: &str) -> bool {
    let family = family.to_lowercase();
    [FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG]
        .iter()
        .flat_map(|l| l.iter())
        .any(|w| w.to_lowercase() == family)
}

/// Loads the faces of wanted families found under `dir`. fontdb indexes every font file there
/// (memory-mapped: only the name tables are read), and only the files with a wanted face are
/// read whole — a system folder holds hundreds of fonts, a TTC of Noto CJK alone is 26 MB.
fn scan(dir: &Path, fonts: &mut Vec<Font>) {
    let mut db = fontdb::Database::new();
    db.load_fonts_dir(dir);
    // The wanted faces' files, in path order so that every machine loads them alike.
    let mut files: Vec<PathBuf> = db
        .faces()
        .filter(|face| face.families.iter().any(|(family, _)| wanted(family)))
        .filter_map(|face| match &face.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(path.clone()),
            fontdb::Source::Binary(_) => None,
        })
        .collect();
    files.sort();
    files.dedup();
    for path in files {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        let bytes = Bytes::new(data);
        // Faces by index: a TTC holds several (the SC face of Noto CJK is index 2).
        for index in 0..64 {
            let Some(info) = FontInfo::new(&bytes, index) else {
                break;
            };
            if wanted(&info.family) {
                if let Some(font) = Font::new(bytes.clone(), index) {
                    fonts.push(font);
                }
            }
        }
    }
}

/// The 仿宋 list. Before the bundled 朱雀仿宋, whose Latin (Alegreya) figures are small beside
/// the hanzi, Noto Serif sets Latin letters and digits (U+0020–U+024F) — as 公文 set in 仿宋 with Times New Roman
/// figures do; an installed 仿宋 earlier in the list keeps its own figures.
fn fangsong_list() -> String {
    let items: Vec<String> = FANGSONG
        .iter()
        .map(|f| {
            if *f == BUNDLED_FANGSONG {
                // Typst's "latin-in-cjk" would hand Noto Serif the hanzi too: Latin only, and the
                // quotes, which 朱雀仿宋 draws at Latin width.
                format!(
                    "(name: \"{BUNDLED_LATIN}\", covers: regex(\"[\\\\x{{20}}-\\\\x{{24F}}‘’“”]\")), \"{f}\""
                )
            } else {
                format!("\"{f}\"")
            }
        })
        .collect();
    format!("({})", items.join(", "))
}

/// The bundled 仿宋 and the font that sets Latin text beside it.
pub const BUNDLED_FANGSONG: &str = "Juesuan Fangsong";
const BUNDLED_LATIN: &str = "Noto Serif CJK SC";

/// A Typst array literal of family names, for the template preamble.
pub fn typst_list(families: &[&str]) -> String {
    let items: Vec<String> = families.iter().map(|f| format!("\"{f}\"")).collect();
    format!("({})", items.join(", "))
}
