//! Version strings checked and compared by golang.org/x/mod/semver, from Rust.

include!(concat!(env!("OUT_DIR"), "/gobridge.rs"));

fn main() {
    let versions = ["v1.2.3", "v1.10.0", "1.0", "v2.0.0-rc.1"];
    for v in versions {
        let valid = semver::is_valid(v).unwrap_or(false);
        let canonical = semver::canonical(v).unwrap_or_default();
        println!("{v}: valid {valid}, canonical {canonical:?}");
    }
    match semverdemo::newest("v1.2.3", "v1.10.0") {
        Ok(n) => println!("newest of v1.2.3 and v1.10.0: {n}"),
        Err(e) => {
            eprintln!("bind-semver-example: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_from_the_module_proxy() {
        assert!(semver::is_valid("v1.2.3").unwrap());
        assert!(!semver::is_valid("1.2.3").unwrap());
        assert_eq!(semver::compare("v1.2.3", "v1.10.0").unwrap(), -1);
        assert_eq!(semver::major("v2.1.0").unwrap(), "v2");
        assert_eq!(semverdemo::newest("v0.9.0", "v0.10.0").unwrap(), "v0.10.0");
    }
}
