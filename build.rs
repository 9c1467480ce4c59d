//! Lists the files `limes init` copies into a new observatory, so that the binary
//! carries them (with `include_bytes!`) and works from any folder: every file of
//! `themes/default/` and every `i18n/<lang>.toml` of the repository. Writes
//! `$OUT_DIR/shipped.rs`, included by `src/scaffold/shipped.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

/// Every file under `dir`, relative to it with `/` separators, sorted.
fn files(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // Hidden files and editor backups are not part of the theme.
            if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
                continue;
            }
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn main() -> io::Result<()> {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let theme = manifest.join("themes/default");
    let i18n = manifest.join("i18n");
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=i18n");
    println!("cargo:rerun-if-changed=build.rs");

    let mut code = String::new();
    code.push_str(
        "/// Every file of the default theme: its path under `themes/default/`, its bytes.\n",
    );
    code.push_str("pub const THEME: &[(&str, &[u8])] = &[\n");
    for rel in files(&theme)? {
        let path = theme.join(&rel);
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n\n");
    code.push_str("/// Every interface-strings file limes ships: its language, its text.\n");
    code.push_str("pub const I18N: &[(&str, &str)] = &[\n");
    for rel in files(&i18n)? {
        if let Some(lang) = rel.strip_suffix(".toml").filter(|l| !l.contains('/')) {
            let path = i18n.join(&rel);
            writeln!(
                code,
                "    ({lang:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("shipped.rs"), code)
}
