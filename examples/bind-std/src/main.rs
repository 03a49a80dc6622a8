//! Go's `strings` and `strconv`, called from Rust through the module gobridge-build generates.

include!(concat!(env!("OUT_DIR"), "/gobridge.rs"));

/// Shouts `words` and sums the numbers in `csv`, with Go doing the work.
fn demo(words: &str, csv: &str) -> Result<(String, i64), GoError> {
    let loud = strings::to_upper(words)?;
    let mut total = 0;
    for field in strings::split(csv, ",")? {
        total += strconv::atoi(strings::trim_space(&field)?.as_str())? as i64;
    }
    Ok((loud, total))
}

fn main() {
    match demo("hello from go", "1, 2, 39") {
        Ok((loud, total)) => println!("{loud} / {total}"),
        Err(e) => {
            eprintln!("bind-std-example: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_does_the_work() {
        assert_eq!(demo("go", "40, 2").unwrap(), ("GO".to_string(), 42));
    }

    #[test]
    fn go_errors_carry_gos_message() {
        match strconv::atoi("forty-two") {
            Err(GoError::Go { message, .. }) => {
                assert!(message.contains("invalid syntax"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
