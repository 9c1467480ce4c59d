//! `limes init <dir> [--languages ...]`: a new observatory, made by the binary from
//! any folder (the theme and interface strings are inside it), that builds and checks
//! clean at once and takes new records; and what it refuses.

mod common;

use common::{limes, ok, text};

use std::fs;

#[test]
fn a_new_observatory_builds_and_checks_clean_in_every_set_of_languages() {
    // Run from a folder that is not the repository: nothing is read from it.
    let tmp = tempfile::tempdir().unwrap();
    for (args, langs) in [
        (vec![], vec!["en"]),
        (vec!["--languages", "fr,es,ca"], vec!["fr", "es", "ca"]),
        (vec!["--languages", "sr-Latn, hr"], vec!["sr-Latn", "hr"]),
        (
            vec!["--languages", "en,fr,es,ca,it,pt,ro,hr,sl,sq,sr-Latn"],
            vec![
                "en", "fr", "es", "ca", "it", "pt", "ro", "hr", "sl", "sq", "sr-Latn",
            ],
        ),
    ] {
        let name = format!("obs-{}", langs.join("-"));
        let mut cmd = vec!["init", name.as_str()];
        cmd.extend(&args);
        assert_eq!(ok(tmp.path(), &cmd), format!("{name}\n"));
        let root = tmp.path().join(&name);

        // The settings, the interface strings asked for and no other, the theme as the
        // repository has it, the example in the default language.
        let settings = fs::read_to_string(root.join("observatory.toml")).unwrap();
        let config: toml::Table = toml::from_str(&settings).unwrap();
        let listed: Vec<&str> = config["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, langs);
        assert_eq!(config["default_language"].as_str(), Some(langs[0]));
        let mut i18n: Vec<String> = common::list_files(&root.join("i18n"));
        i18n.sort();
        let mut expected: Vec<String> = langs.iter().map(|l| format!("{l}.toml")).collect();
        expected.sort();
        assert_eq!(i18n, expected);
        for l in &langs {
            assert_eq!(
                fs::read(root.join(format!("i18n/{l}.toml"))).unwrap(),
                fs::read(common::repo().join(format!("i18n/{l}.toml"))).unwrap(),
                "i18n/{l}.toml"
            );
        }
        let theme = common::repo().join("themes/default");
        let files = common::list_files(&theme);
        assert_eq!(common::list_files(&root.join("themes/default")), files);
        for f in &files {
            assert_eq!(
                fs::read(root.join("themes/default").join(f)).unwrap(),
                fs::read(theme.join(f)).unwrap(),
                "themes/default/{f}"
            );
        }
        assert!(
            root.join(format!("content/practices/example/index.{}.md", langs[0]))
                .is_file()
        );

        let out = limes(tmp.path(), &["check", "--root", &name]);
        assert_eq!(
            (out.status.code(), text(&out.stdout)),
            (Some(0), "The check found no problem\n".to_string()),
            "{name}: {}",
            text(&out.stderr)
        );
        ok(tmp.path(), &["build", "--root", &name]);
        for l in &langs {
            let page = root.join(format!("public/{l}/practices/example/index.html"));
            assert!(page.is_file(), "{name}: no {}", page.display());
        }

        // It takes new records at once.
        ok(tmp.path(), &["new", "practice", "first", "--root", &name]);
        ok(
            tmp.path(),
            &["new", "partner", "first-partner", "--root", &name],
        );
        ok(tmp.path(), &["new", "page", "about", "--root", &name]);
        if langs.len() > 1 {
            let to = format!("--lang={}", langs[1]);
            ok(
                tmp.path(),
                &[
                    "new",
                    "translation",
                    "practices/example",
                    &to,
                    "--root",
                    &name,
                ],
            );
        }
        let out = limes(tmp.path(), &["check", "--root", &name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stdout));
        ok(tmp.path(), &["build", "--root", &name]);
    }
}

#[test]
fn init_refuses_a_folder_in_use_and_languages_limes_does_not_ship() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("used")).unwrap();
    fs::write(tmp.path().join("used/notes.txt"), "mine").unwrap();
    let cases: [(&[&str], i32, &str); 5] = [
        (
            &["init", "used"],
            1,
            "error: used is not empty\n  = help: limes init makes a new observatory in a new or empty folder: choose another one\n",
        ),
        (
            &["init", "new", "--languages", "en,de"],
            2,
            "error: limes has no interface strings for `de`\n  = help: limes ships the interface strings of ca, en, es, fr, hr, it, pt, ro, sl, sq, sr-Latn; start with those, then add `de` to `languages` in observatory.toml with an i18n/de.toml translated from i18n/en.toml\n",
        ),
        (
            &["init", "new", "--languages", "sr-latn"],
            2,
            "error: limes has no interface strings for `sr-latn`\n  = help: did you mean `sr-Latn`? limes ships the interface strings of ca, en, es, fr, hr, it, pt, ro, sl, sq, sr-Latn\n",
        ),
        (
            &["init", "new", "--languages", "fr,en,fr"],
            2,
            "error: `fr` is listed twice\n  = help: list each language once, the default first\n",
        ),
        (
            &["init", "new", "--languages", ""],
            2,
            "error: `` is not a list of languages\n  = help: write the codes separated by commas, the default first, like --languages en,fr; limes ships ca, en, es, fr, hr, it, pt, ro, sl, sq, sr-Latn\n",
        ),
    ];
    for (args, code, stderr) in cases {
        let out = limes(tmp.path(), args);
        assert_eq!(out.status.code(), Some(code), "limes {args:?}");
        assert_eq!(text(&out.stderr), stderr, "limes {args:?}");
        assert_eq!(text(&out.stdout), "");
    }
    assert_eq!(common::list_files(tmp.path()), ["used/notes.txt"]);
    // An empty folder is fine.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    ok(tmp.path(), &["init", "empty"]);
    assert!(tmp.path().join("empty/observatory.toml").is_file());
}
