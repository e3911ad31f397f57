//! Checks a chain and key the way ApsaraVideo Live would (the README's library example).
use cert_preflight::time::OffsetDateTime;
use cert_preflight::{LIVE, Options, Request, validate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let chain_pem = std::fs::read("testdata/rsa2048/fullchain.pem")?;
    let key_pem = std::fs::read("testdata/rsa2048/key.pkcs1.pem")?;
    let request = Request::upload(chain_pem, key_pem)
        .with_domain("www.example.com")
        .with_cert_name("prod-2026");
    let verdict = validate(&LIVE, &request, &Options::at(OffsetDateTime::now_utc()));
    match verdict.answer() {
        None => println!("accepted; warnings: {:?}", verdict.warnings()),
        Some(f) => println!(
            "{} ({}): {} — {}",
            f.code(),
            f.http_status(),
            f.message(),
            f.detail()
        ),
    }
    Ok(())
}
