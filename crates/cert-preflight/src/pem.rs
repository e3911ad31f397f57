//! PEM (RFC 7468), framed strictly and decoded in constant time.
//!
//! The crate began on `rustls_pki_types::pem::PemObject` (the maintained successor of
//! rustls-pemfile), wrapped where it is too lenient: it skips unknown labels, lets a stray BEGIN
//! line corrupt the next block, accepts a missing `=` padding and treats RFC 1421 headers as
//! base64. Profiling then put its base64 at a quarter of an RSA-4096 check, so decoding moved
//! to [`crate::base64`]; pki-types remains the oracle the tests compare against. This module
//! scans the text line by line:
//!
//! - every block is found, in order, with its label and line numbers;
//! - the END label must equal the BEGIN label; a BEGIN line inside an open block, an END line
//!   with no BEGIN, and an unterminated block are errors;
//! - RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) are recognised, so a
//!   password-protected key is named as such instead of failing as bad base64;
//! - CRLF, CR, trailing spaces, indentation and a missing final newline are accepted;
//!   explanatory text outside blocks (`Bag Attributes`, `subject=` lines written by
//!   `openssl pkcs12`) is ignored as RFC 7468 §2 advises, with a warning;
//! - lines that are not 64 characters (in the blocks of the formats the service reads) and
//!   blank lines between blocks break the service's published format: they are reported as
//!   format notes, which become warnings.
//!
//! A block's body is then decoded by the constant-time decoder, whatever the field; the
//! certificate field's characters are also inspected one by one to name a bad one.

use crate::text::shown;
use core::fmt;

use zeroize::Zeroizing;

use crate::base64;

/// Which request parameter a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The certificate parameter (`ServerCertificate` / `SSLPub`).
    Certificate,
    /// The private-key parameter (`PrivateKey` / `SSLPri`).
    PrivateKey,
}

impl Field {
    /// True for the field whose bytes are secret.
    pub(crate) const fn is_secret(self) -> bool {
        matches!(self, Field::PrivateKey)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Certificate => "certificate",
            Field::PrivateKey => "private key",
        })
    }
}

/// The label of a PEM block (`-----BEGIN <label>-----`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Label {
    /// `CERTIFICATE`
    Certificate,
    /// `TRUSTED CERTIFICATE` (OpenSSL's certificate with trust settings)
    TrustedCertificate,
    /// `X509 CERTIFICATE` (an old alias)
    X509Certificate,
    /// `PRIVATE KEY` (PKCS#8)
    PrivateKey,
    /// `RSA PRIVATE KEY` (PKCS#1)
    RsaPrivateKey,
    /// `EC PRIVATE KEY` (SEC1)
    EcPrivateKey,
    /// `EC PARAMETERS` (what `openssl ecparam -genkey` writes before the key)
    EcParameters,
    /// `DSA PARAMETERS` (what `openssl dsaparam -genkey` writes before the key)
    DsaParameters,
    /// `DH PARAMETERS` (PKCS#3 Diffie-Hellman parameters)
    DhParameters,
    /// `X9.42 DH PARAMETERS` (X9.42 Diffie-Hellman parameters)
    X942DhParameters,
    /// `ENCRYPTED PRIVATE KEY` (password-protected PKCS#8)
    EncryptedPrivateKey,
    /// `PUBLIC KEY` (SubjectPublicKeyInfo)
    PublicKey,
    /// `RSA PUBLIC KEY` (PKCS#1)
    RsaPublicKey,
    /// `DSA PRIVATE KEY`
    DsaPrivateKey,
    /// `OPENSSH PRIVATE KEY`
    OpensshPrivateKey,
    /// `CERTIFICATE REQUEST` / `NEW CERTIFICATE REQUEST`
    CertificateRequest,
    /// `X509 CRL`
    Crl,
    /// `PKCS7`
    Pkcs7,
    /// Any other label. In the private-key field its text is never kept (it could be key
    /// material pasted between dashes), so it is `None` there.
    Other(Option<String>),
}

impl Label {
    fn parse(text: &str, field: Field) -> Label {
        match text {
            "CERTIFICATE" => Label::Certificate,
            "TRUSTED CERTIFICATE" => Label::TrustedCertificate,
            "X509 CERTIFICATE" => Label::X509Certificate,
            "PRIVATE KEY" => Label::PrivateKey,
            "RSA PRIVATE KEY" => Label::RsaPrivateKey,
            "EC PRIVATE KEY" => Label::EcPrivateKey,
            "EC PARAMETERS" => Label::EcParameters,
            "DSA PARAMETERS" => Label::DsaParameters,
            "DH PARAMETERS" => Label::DhParameters,
            "X9.42 DH PARAMETERS" => Label::X942DhParameters,
            "ENCRYPTED PRIVATE KEY" => Label::EncryptedPrivateKey,
            "PUBLIC KEY" => Label::PublicKey,
            "RSA PUBLIC KEY" => Label::RsaPublicKey,
            "DSA PRIVATE KEY" => Label::DsaPrivateKey,
            "OPENSSH PRIVATE KEY" => Label::OpensshPrivateKey,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Label::CertificateRequest,
            "X509 CRL" => Label::Crl,
            "PKCS7" => Label::Pkcs7,
            other if field.is_secret() => {
                let _ = other;
                Label::Other(None)
            }
            other => Label::Other(Some(shown(other, 40))),
        }
    }

    /// True for labels that carry a private key of some kind (even one this crate refuses).
    pub(crate) const fn is_private_key(&self) -> bool {
        matches!(
            self,
            Label::PrivateKey
                | Label::RsaPrivateKey
                | Label::EcPrivateKey
                | Label::EncryptedPrivateKey
                | Label::DsaPrivateKey
                | Label::OpensshPrivateKey
        )
    }

    /// True for labels that carry a certificate.
    pub(crate) const fn is_certificate(&self) -> bool {
        matches!(
            self,
            Label::Certificate | Label::TrustedCertificate | Label::X509Certificate
        )
    }

    /// True for the labels the certificate field reads as a certificate: `CERTIFICATE`, and
    /// the legacy `X509 CERTIFICATE` (RFC 7468 §5.1) that OpenSSL and Java read too.
    pub(crate) const fn is_plain_certificate(&self) -> bool {
        matches!(self, Label::Certificate | Label::X509Certificate)
    }

    /// True for the labels of the formats the service reads: certificates (`CERTIFICATE`, the
    /// legacy `X509 CERTIFICATE`), PKCS#8, PKCS#1 and SEC1 private keys, and the `EC PARAMETERS`
    /// written before a SEC1 key. The published format (64-character lines) is about these; a
    /// block of another format is refused for what it is, and its own line length (OpenSSH's 70
    /// columns, say) is that format's, not a fault.
    pub(crate) const fn is_read_by_the_service(&self) -> bool {
        matches!(
            self,
            Label::Certificate
                | Label::X509Certificate
                | Label::PrivateKey
                | Label::RsaPrivateKey
                | Label::EcPrivateKey
                | Label::EcParameters
        )
    }

    /// True for algorithm parameters that key generators write before a key (`openssl ecparam
    /// -genkey`, `openssl dsaparam -genkey`); they carry no key material.
    pub(crate) const fn is_parameters(&self) -> bool {
        matches!(
            self,
            Label::EcParameters
                | Label::DsaParameters
                | Label::DhParameters
                | Label::X942DhParameters
        )
    }

    /// What a block users paste by mistake is, in `field`, and what to give instead:
    /// (what it is, what to do).
    fn mistake(&self, field: Field) -> Option<(&'static str, Fix)> {
        Some(match (self, field) {
            (Label::PublicKey | Label::RsaPublicKey, Field::Certificate) => (
                "a public key, not a certificate",
                Fix::Say("give the certificate the CA issued (-----BEGIN CERTIFICATE-----)"),
            ),
            (Label::CertificateRequest, Field::Certificate) => (
                "a certificate signing request (CSR), not a certificate",
                Fix::Say("give the certificate the CA issued for it"),
            ),
            (Label::CertificateRequest, Field::PrivateKey) => (
                "a certificate signing request (CSR), not a private key",
                Fix::Say("give the private key the CSR was made with"),
            ),
            (Label::Pkcs7, Field::Certificate) => (
                "a PKCS#7 (P7B) certificate bundle, which the service does not read",
                Fix::Pkcs7ToPem,
            ),
            (Label::Pkcs7, Field::PrivateKey) => (
                "a PKCS#7 (P7B) certificate bundle, which never holds a private key",
                Fix::Say("give the private key"),
            ),
            (Label::Crl, Field::Certificate) => (
                "a certificate revocation list (CRL), not a certificate",
                Fix::Say("give the certificate the CA issued"),
            ),
            (Label::Crl, Field::PrivateKey) => (
                "a certificate revocation list (CRL), not a private key",
                Fix::Say("give the private key"),
            ),
            _ => return None,
        })
    }
}

/// What to give instead of a block pasted by mistake.
#[derive(Clone, Copy)]
enum Fix {
    /// Words that name no file.
    Say(&'static str),
    /// Convert the PKCS#7 bundle (the file it was read from) to PEM certificates.
    Pkcs7ToPem,
}

impl Fix {
    fn write(self, f: &mut fmt::Formatter<'_>, hints: &Hints<'_>) -> fmt::Result {
        match self {
            Fix::Say(words) => f.write_str(words),
            Fix::Pkcs7ToPem => write!(
                f,
                "convert it to PEM certificates with `openssl pkcs7 -print_certs -in {} -out \
                 chain.pem` and give those, the leaf first",
                hints.file("")
            ),
        }
    }
}

/// What a detail names where it says which file to convert or where a block belongs: the file
/// the text was read from, and the names of the certificate's and the key's parameters. Each
/// `None` keeps the generic words: `F` in a command, "the certificate parameter". (The public
/// side is `Naming`, in the failure module, which makes these for a field.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hints<'a> {
    /// The file the text was read from.
    pub(crate) file: Option<&'a str>,
    /// The name to show for the certificate's parameter.
    pub(crate) certificate: Option<&'a str>,
    /// The name to show for the private key's parameter.
    pub(crate) private_key: Option<&'a str>,
}

impl<'a> Hints<'a> {
    /// The file in a command, followed by `suffix` (`F.p12`).
    fn file(&self, suffix: &'static str) -> ShellWord<'a> {
        ShellWord {
            path: self.file,
            suffix,
        }
    }

    /// Where `field`'s content goes: its parameter's name, or "the certificate parameter".
    fn place(&self, field: Field) -> &'a str {
        match field {
            Field::Certificate => self.certificate.unwrap_or("the certificate parameter"),
            Field::PrivateKey => self.private_key.unwrap_or("the private-key parameter"),
        }
    }
}

/// A file as one word of a POSIX shell command: the path and a suffix, in single quotes when
/// a character of it is not plainly a word's; `F` (and the suffix) when the path is not known.
struct ShellWord<'a> {
    path: Option<&'a str>,
    suffix: &'static str,
}

impl fmt::Display for ShellWord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let Some(path) = self.path else {
            return write!(f, "F{}", self.suffix);
        };
        let plain = |c: char| c.is_alphanumeric() || "_-./+,:@%=".contains(c);
        if !path.is_empty() && path.chars().chain(self.suffix.chars()).all(plain) {
            return write!(f, "{path}{}", self.suffix);
        }
        f.write_char('\'')?;
        for c in path.chars().chain(self.suffix.chars()) {
            if c == '\'' {
                f.write_str("'\\''")?;
            } else {
                f.write_char(c)?;
            }
        }
        f.write_char('\'')
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Label::Certificate => "CERTIFICATE",
            Label::TrustedCertificate => "TRUSTED CERTIFICATE",
            Label::X509Certificate => "X509 CERTIFICATE",
            Label::PrivateKey => "PRIVATE KEY",
            Label::RsaPrivateKey => "RSA PRIVATE KEY",
            Label::EcPrivateKey => "EC PRIVATE KEY",
            Label::EcParameters => "EC PARAMETERS",
            Label::DsaParameters => "DSA PARAMETERS",
            Label::DhParameters => "DH PARAMETERS",
            Label::X942DhParameters => "X9.42 DH PARAMETERS",
            Label::EncryptedPrivateKey => "ENCRYPTED PRIVATE KEY",
            Label::PublicKey => "PUBLIC KEY",
            Label::RsaPublicKey => "RSA PUBLIC KEY",
            Label::DsaPrivateKey => "DSA PRIVATE KEY",
            Label::OpensshPrivateKey => "OPENSSH PRIVATE KEY",
            Label::CertificateRequest => "CERTIFICATE REQUEST",
            Label::Crl => "X509 CRL",
            Label::Pkcs7 => "PKCS7",
            Label::Other(Some(text)) => text,
            Label::Other(None) => "(unrecognised label)",
        })
    }
}

/// Why a text has no usable PEM structure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FramingError {
    /// No `-----BEGIN` line at all.
    NoBlocks {
        /// The text looks like bare base64 (the body without its BEGIN/END lines).
        bare_base64: bool,
    },
    /// A line starts like a boundary but is not `-----BEGIN LABEL-----` / `-----END LABEL-----`.
    MalformedBoundary {
        /// 1-based line number.
        line: usize,
    },
    /// A BEGIN line appears while a block is still open.
    StrayBegin {
        /// Label of the open block.
        open_label: Label,
        /// Line of the open block's BEGIN.
        open_line: usize,
        /// Line of the second BEGIN.
        line: usize,
    },
    /// The END label differs from the BEGIN label.
    EndMismatch {
        /// The BEGIN label.
        begin_label: Label,
        /// Line of the BEGIN.
        begin_line: usize,
        /// The END label.
        end_label: Label,
        /// Line of the END.
        end_line: usize,
    },
    /// An END line with no open block.
    EndWithoutBegin {
        /// Line of the END.
        line: usize,
    },
    /// A block whose END line never comes.
    Unterminated {
        /// The block's label.
        label: Label,
        /// Line of its BEGIN.
        begin_line: usize,
    },
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FramingError::NoBlocks { bare_base64: true } => f.write_str(
                "it is base64 without PEM armour: the text needs its -----BEGIN …----- and \
                 -----END …----- lines",
            ),
            FramingError::NoBlocks { bare_base64: false } => {
                f.write_str("it is not PEM: no -----BEGIN …----- line was found")
            }
            FramingError::MalformedBoundary { line } => write!(
                f,
                "line {line} is not a well-formed -----BEGIN LABEL----- or -----END LABEL----- line"
            ),
            FramingError::StrayBegin {
                open_label,
                open_line,
                line,
            } => write!(
                f,
                "line {line} starts a new block while the {open_label} block opened at line \
                 {open_line} has no END line (a partial block was left in front of it)"
            ),
            FramingError::EndMismatch {
                begin_label,
                begin_line,
                end_label,
                end_line,
            } => write!(
                f,
                "the block opened at line {begin_line} as {begin_label} is closed at line \
                 {end_line} as {end_label}: the END label must repeat the BEGIN label"
            ),
            FramingError::EndWithoutBegin { line } => {
                write!(f, "line {line} is an END line with no BEGIN line before it")
            }
            FramingError::Unterminated { label, begin_line } => write!(
                f,
                "the {label} block opened at line {begin_line} has no -----END {label}----- line"
            ),
        }
    }
}

/// Why a block's body is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Error {
    /// The body has no base64 at all.
    EmptyBody,
    /// A character outside the base64 alphabet, or `=` before the end. For the private-key
    /// field neither the character nor its column is given.
    InvalidCharacter {
        /// 1-based line number.
        line: usize,
        /// The offending character (certificate field only).
        character: Option<char>,
    },
    /// The number of base64 characters is not a multiple of 4 (padding missing or cut off).
    Length {
        /// The number of base64 characters in the body.
        chars: usize,
    },
    /// A space inside a base64 line: what a `+` sent unencoded in a URL query or form body
    /// becomes (the query decodes `+` as a space).
    SpaceInLine {
        /// 1-based line number.
        line: usize,
        /// The value came from a raw query in which a `+` was decoded to a space.
        from_query: bool,
    },
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::EmptyBody => f.write_str("the block has no base64 body"),
            Base64Error::InvalidCharacter {
                line,
                character: Some(c),
            } => write!(f, "line {line} holds {c:?}, which is not base64 here"),
            Base64Error::InvalidCharacter {
                line,
                character: None,
            } => write!(f, "line {line} holds a character that is not base64 there"),
            Base64Error::Length { chars } => write!(
                f,
                "the body has {chars} base64 characters, not a multiple of 4 (the '=' padding \
                 is missing or the body was cut)"
            ),
            Base64Error::SpaceInLine {
                line,
                from_query: true,
            } => write!(
                f,
                "line {line} has a space inside its base64: the request sent a '+' of the \
                 base64 unencoded, and a query string decodes '+' as a space; send '+' as %2B \
                 (URL-encode the whole value)"
            ),
            Base64Error::SpaceInLine {
                line,
                from_query: false,
            } => write!(
                f,
                "line {line} has a space inside its base64; a '+' sent unencoded in a URL query \
                 or form body turns into a space, so URL-encode the value ('+' as %2B)"
            ),
        }
    }
}

/// A deviation from the service's published PEM format; reported as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatNote {
    /// A body line that is not 64 characters long (the last line may be shorter).
    LineLength {
        /// 1-based line of the first such line.
        line: usize,
        /// Its length in characters.
        length: usize,
        /// How many body lines of the text deviate.
        count: usize,
    },
    /// Blank lines between two blocks.
    BlankLineBetweenBlocks {
        /// 1-based line number.
        line: usize,
    },
    /// Blank lines inside a block's body.
    BlankLineInBody {
        /// 1-based line number.
        line: usize,
    },
    /// Text outside any block (ignored).
    TextOutsideBlocks {
        /// 1-based line of the first such line.
        line: usize,
        /// How many such lines.
        count: usize,
    },
    /// Lines with leading or trailing spaces or tabs.
    SurroundingWhitespace {
        /// 1-based line of the first such line.
        line: usize,
    },
    /// A block labelled `X509 CERTIFICATE`, the legacy label of RFC 7468 §5.1, read as a
    /// certificate.
    LegacyCertificateLabel {
        /// 1-based line of the first such BEGIN line.
        line: usize,
    },
    /// A UTF-8 byte-order mark (U+FEFF) at the start of a line (ignored).
    ByteOrderMark {
        /// 1-based line of the first line that starts with one (1: the start of the text).
        line: usize,
    },
}

impl fmt::Display for FormatNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatNote::LineLength {
                line,
                length,
                count,
            } => write!(
                f,
                "{count} base64 line(s) are not 64 characters long (first: line {line}, \
                 {length} characters); the published format wants 64-character lines"
            ),
            FormatNote::BlankLineBetweenBlocks { line } => write!(
                f,
                "blank line between blocks at line {line}; the published format has none"
            ),
            FormatNote::BlankLineInBody { line } => {
                write!(f, "blank line inside a block's base64 at line {line}")
            }
            FormatNote::TextOutsideBlocks { line, count } => write!(
                f,
                "{count} line(s) of text outside the PEM blocks (first: line {line}) are \
                 ignored; send only the blocks"
            ),
            FormatNote::SurroundingWhitespace { line } => write!(
                f,
                "lines start or end with spaces or tabs (first: line {line})"
            ),
            FormatNote::LegacyCertificateLabel { line } => write!(
                f,
                "the block at line {line} is labelled X509 CERTIFICATE, a legacy label (RFC 7468 \
                 §5.1) that OpenSSL and Java read as a certificate; the service's published \
                 format is -----BEGIN CERTIFICATE-----"
            ),
            FormatNote::ByteOrderMark { line: 1 } => f.write_str(
                "the text starts with a UTF-8 byte-order mark (U+FEFF), which was ignored; the \
                 published format has none: save the file as UTF-8 without a BOM",
            ),
            FormatNote::ByteOrderMark { line } => write!(
                f,
                "line {line} starts with a UTF-8 byte-order mark (U+FEFF), which was ignored \
                 (files joined together?); the published format has none"
            ),
        }
    }
}

/// One framed PEM block, borrowed from the text.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Block<'a> {
    pub(crate) label: Label,
    pub(crate) begin_line: usize,
    pub(crate) end_line: usize,
    /// RFC 1421 header names, e.g. `Proc-Type`.
    pub(crate) header_names: Vec<&'a str>,
    /// A `Proc-Type: 4,ENCRYPTED` header is present.
    pub(crate) encrypted: bool,
    /// Body lines, trimmed, each with its 1-based line number.
    body: Vec<(usize, &'a str)>,
}

impl fmt::Debug for Block<'_> {
    /// Never prints the body: it may be a private key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Block")
            .field("label", &self.label)
            .field("begin_line", &self.begin_line)
            .field("end_line", &self.end_line)
            .field("header_names", &self.header_names)
            .field("encrypted", &self.encrypted)
            .field("body_lines", &self.body.len())
            .finish()
    }
}

/// The framing of a whole parameter: its blocks in order and the format notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Framed<'a> {
    pub(crate) blocks: Vec<Block<'a>>,
    pub(crate) notes: Vec<FormatNote>,
}

/// Splits text into lines on LF, CRLF or a lone CR; yields (1-based number, line). One search
/// runs over the whole text (a new search per line cost more than the line's bytes).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    let mut start = 0usize;
    let mut number = 0usize;
    core::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        number += 1;
        // The first line end at or after `start` (the LF of a CRLF was stepped over).
        let end = loop {
            match ends.next() {
                Some(end) if end < start => continue,
                Some(end) => break end,
                None => break bytes.len(),
            }
        };
        // Both ends sit next to ASCII bytes (or at the end), so they are character boundaries.
        let line = text.get(start..end)?;
        let crlf = bytes.get(end..end.saturating_add(2)) == Some(b"\r\n");
        start = end.saturating_add(if crlf { 2 } else { 1 });
        Some((number, line))
    })
}

/// The line without leading and trailing spaces and tabs (bytes, not `char` patterns: this is
/// on every line of every check).
fn trim_blank(line: &str) -> &str {
    let bytes = line.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |i| i + 1);
    // Both ends sit next to ASCII bytes, so they are character boundaries.
    line.get(start..end).unwrap_or_default()
}

/// A boundary line, parsed.
enum Boundary<'a> {
    Begin(&'a str),
    End(&'a str),
}

/// Recognises `-----BEGIN LABEL-----` / `-----END LABEL-----` (already trimmed).
/// `Ok(None)`: not a boundary line; `Err(())`: starts like one but is malformed.
#[allow(clippy::result_unit_err)]
fn boundary(line: &str) -> Result<Option<Boundary<'_>>, ()> {
    let (rest, begin) = if let Some(rest) = line.strip_prefix("-----BEGIN") {
        (rest, true)
    } else if let Some(rest) = line.strip_prefix("-----END") {
        (rest, false)
    } else {
        return Ok(None);
    };
    let label = rest
        .strip_prefix(' ')
        .and_then(|r| r.strip_suffix("-----"))
        .ok_or(())?;
    // RFC 7468 §3: printable characters except '-', words separated by single spaces.
    let well_formed = !label.is_empty()
        && !label.starts_with(' ')
        && !label.ends_with(' ')
        && !label.as_bytes().windows(2).any(|pair| pair == b"  ")
        && label
            .bytes()
            .all(|b| b == b' ' || (b.is_ascii_graphic() && b != b'-'));
    if !well_formed {
        return Err(());
    }
    Ok(Some(if begin {
        Boundary::Begin(label)
    } else {
        Boundary::End(label)
    }))
}

fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// Scans `text` (already known to be UTF-8 without NUL) into blocks. Linear in the input.
pub(crate) fn frame(text: &str, field: Field) -> Result<Framed<'_>, FramingError> {
    struct Open<'a> {
        label_text: &'a str,
        block: Block<'a>,
        in_headers: bool,
        seen_body: bool,
    }
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut notes = Vec::new();
    let mut open: Option<Open<'_>> = None;
    let mut outside_text: Option<(usize, usize)> = None;
    let mut whitespace_line: Option<usize> = None;
    let mut blank_after_block: Option<usize> = None;
    let mut saw_non_base64 = false;
    let mut text_chars = 0usize;
    let mut bom_line: Option<usize> = None;
    let mut legacy_line: Option<usize> = None;

    for (number, raw) in lines(text) {
        // A byte-order mark: what some editors write at the start of a file (and so at the
        // start of a line when files are joined). OpenSSL and Python read past it.
        let raw = match raw.strip_prefix('\u{FEFF}') {
            Some(rest) => {
                bom_line.get_or_insert(number);
                rest
            }
            None => raw,
        };
        let line = trim_blank(raw);
        let parsed =
            boundary(line).map_err(|()| FramingError::MalformedBoundary { line: number })?;
        // Only the blocks' own lines count; text outside them is reported as such.
        let in_block = open.is_some() || parsed.is_some();
        if in_block && line.len() != raw.len() && !line.is_empty() && whitespace_line.is_none() {
            whitespace_line = Some(number);
        }
        match (parsed, open.as_mut()) {
            (Some(Boundary::Begin(label_text)), None) => {
                if let Some(blank) = blank_after_block.take() {
                    notes.push(FormatNote::BlankLineBetweenBlocks { line: blank });
                }
                open = Some(Open {
                    label_text,
                    block: Block {
                        label: Label::parse(label_text, field),
                        begin_line: number,
                        end_line: number,
                        header_names: Vec::new(),
                        encrypted: false,
                        body: Vec::new(),
                    },
                    in_headers: true,
                    seen_body: false,
                });
            }
            (Some(Boundary::Begin(_)), Some(current)) => {
                return Err(FramingError::StrayBegin {
                    open_label: current.block.label.clone(),
                    open_line: current.block.begin_line,
                    line: number,
                });
            }
            (Some(Boundary::End(label_text)), Some(current)) => {
                if label_text != current.label_text {
                    return Err(FramingError::EndMismatch {
                        begin_label: current.block.label.clone(),
                        begin_line: current.block.begin_line,
                        end_label: Label::parse(label_text, field),
                        end_line: number,
                    });
                }
                if let Some(mut done) = open.take() {
                    done.block.end_line = number;
                    if field == Field::Certificate && done.block.label == Label::X509Certificate {
                        legacy_line.get_or_insert(done.block.begin_line);
                    }
                    blocks.push(done.block);
                }
                blank_after_block = None;
            }
            (Some(Boundary::End(_)), None) => {
                return Err(FramingError::EndWithoutBegin { line: number });
            }
            (None, Some(current)) => {
                if line.is_empty() {
                    if current.seen_body {
                        notes.push(FormatNote::BlankLineInBody { line: number });
                    }
                    // A blank line ends the RFC 1421 header section.
                    current.in_headers = false;
                    continue;
                }
                if current.in_headers && !current.seen_body {
                    if let Some((name, value)) = line.split_once(':') {
                        current.block.header_names.push(name.trim());
                        if name.trim() == "Proc-Type" && value.contains("ENCRYPTED") {
                            current.block.encrypted = true;
                        }
                        continue;
                    }
                    current.in_headers = false;
                }
                current.seen_body = true;
                // Room for a certificate's lines at once, instead of growing 4, 8, 16.
                if current.block.body.capacity() == 0 {
                    current.block.body.reserve(16);
                }
                current.block.body.push((number, line));
            }
            (None, None) => {
                if line.is_empty() {
                    if !blocks.is_empty() && blank_after_block.is_none() {
                        blank_after_block = Some(number);
                    }
                    continue;
                }
                text_chars = text_chars.saturating_add(line.len());
                if !line.bytes().all(is_base64_char) {
                    saw_non_base64 = true;
                }
                outside_text = Some(match outside_text {
                    None => (number, 1),
                    Some((first, count)) => (first, count.saturating_add(1)),
                });
            }
        }
    }
    if let Some(current) = open {
        return Err(FramingError::Unterminated {
            label: current.block.label,
            begin_line: current.block.begin_line,
        });
    }
    if blocks.is_empty() {
        return Err(FramingError::NoBlocks {
            // Short words ("xxx") are not taken for a body that lost its armour.
            bare_base64: text_chars >= 32 && !saw_non_base64,
        });
    }
    if let Some((line, count)) = outside_text {
        notes.push(FormatNote::TextOutsideBlocks { line, count });
    }
    if let Some(line) = whitespace_line {
        notes.push(FormatNote::SurroundingWhitespace { line });
    }
    if let Some(note) = line_length_note(&blocks) {
        notes.push(note);
    }
    if let Some(line) = legacy_line {
        notes.push(FormatNote::LegacyCertificateLabel { line });
    }
    if let Some(line) = bom_line {
        notes.insert(0, FormatNote::ByteOrderMark { line });
    }
    Ok(Framed { blocks, notes })
}

/// The published format: 64-character base64 lines, the last line of a block at most 64. Only
/// the blocks of formats the service reads are measured ([`Label::is_read_by_the_service`]): an
/// OpenSSH key (70-column lines), a PKCS#7 bundle or a CSR is refused for what it is, and
/// rewrapping it would not help.
fn line_length_note(blocks: &[Block<'_>]) -> Option<FormatNote> {
    let mut first: Option<(usize, usize)> = None;
    let mut count = 0usize;
    for block in blocks.iter().filter(|b| b.label.is_read_by_the_service()) {
        let last = block.body.len().saturating_sub(1);
        for (i, (number, line)) in block.body.iter().enumerate() {
            let bad = if i == last {
                line.len() > 64
            } else {
                line.len() != 64
            };
            if bad {
                count += 1;
                first.get_or_insert((*number, line.len()));
            }
        }
    }
    first.map(|(line, length)| FormatNote::LineLength {
        line,
        length,
        count,
    })
}

/// A block's body characters in one buffer, zeroized on drop with one bulk write (zeroize's
/// slice path: `Zeroizing<Vec<u8>>` clears a `Vec` one volatile byte at a time).
struct BodyText(Vec<u8>);

impl Drop for BodyText {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self.0.as_mut_slice());
        zeroize::Zeroize::zeroize(self.0.spare_capacity_mut());
    }
}

impl Block<'_> {
    /// Decodes the body. Private-key bodies (`field` is the key field) use pki-types'
    /// constant-time decoder and land in a buffer that is zeroized on drop.
    pub(crate) fn decode(&self, field: Field) -> Result<Zeroizing<Vec<u8>>, Base64Error> {
        if self.body.is_empty() {
            return Err(Base64Error::EmptyBody);
        }
        let chars = self.body.iter().map(|(_, line)| line.len()).sum::<usize>();
        // One contiguous copy of the body, sized exactly so it never reallocates (a moved
        // buffer would leave key bytes behind unzeroized).
        let mut text = BodyText(Vec::with_capacity(chars));
        for (_, line) in &self.body {
            text.0.extend_from_slice(line.as_bytes());
        }
        let text = &text.0;
        // Up to two '=' end the body; anywhere else '=' is outside the alphabet.
        let pad = text
            .iter()
            .rev()
            .take(3)
            .take_while(|&&b| b == b'=')
            .count();
        let data = text.get(..chars.saturating_sub(pad)).unwrap_or_default();
        let mut der = Zeroizing::new(Vec::with_capacity(base64::decoded_len(data.len())));
        if pad > 2 || !base64::decode(data, &mut der) {
            return Err(self.invalid_character(field, pad));
        }
        if !chars.is_multiple_of(4) {
            return Err(Base64Error::Length { chars });
        }
        Ok(der)
    }

    /// The error for a body that is not base64: for the certificate field the first bad
    /// character and its line; for the key field the line only, found one line at a time
    /// (which line is bad is the detail the user gets; the characters are not named).
    ///
    /// A line whose only strangers are spaces inside it is reported as such for both fields
    /// (that a key line holds a space says nothing of the key): it is what a `+` sent
    /// unencoded in a URL query becomes.
    fn invalid_character(&self, field: Field, pad: usize) -> Base64Error {
        let last = self.body.len().saturating_sub(1);
        if !field.is_secret() {
            for (i, (number, line)) in self.body.iter().enumerate() {
                if let Some(character) = first_invalid_char(line, i == last) {
                    if character == ' ' && only_spaces_are_invalid(line, i == last) {
                        return Base64Error::SpaceInLine {
                            line: *number,
                            from_query: false,
                        };
                    }
                    return Base64Error::InvalidCharacter {
                        line: *number,
                        character: Some(character),
                    };
                }
            }
        }
        let found = self.body.iter().enumerate().find(|(i, (_, line))| {
            let line = line.as_bytes();
            let line = if *i == last {
                line.get(..line.len().saturating_sub(pad.min(2)))
                    .unwrap_or_default()
            } else {
                line
            };
            !base64::is_alphabet(line)
        });
        match found {
            Some((i, (number, line))) if only_spaces_are_invalid(line, i == last) => {
                Base64Error::SpaceInLine {
                    line: *number,
                    from_query: false,
                }
            }
            found => Base64Error::InvalidCharacter {
                line: found.map_or(self.begin_line, |(_, (number, _))| *number),
                character: None,
            },
        }
    }
}

/// True when a body line holds spaces and no other character that is not base64 where it
/// stands. Branches on whether each byte is a space or in the alphabet, not on which letter
/// it is.
fn only_spaces_are_invalid(line: &str, is_last_line: bool) -> bool {
    let body = if is_last_line {
        line.trim_end_matches('=')
    } else {
        line
    };
    let bytes = body.as_bytes();
    bytes.contains(&b' ')
        && bytes
            .iter()
            .all(|&b| b == b' ' || (b != b'=' && is_base64_char(b)))
}

/// The first character of a body line that is not base64 where it stands: `=` may only end
/// the last line, at most twice.
fn first_invalid_char(line: &str, is_last_line: bool) -> Option<char> {
    let body = if is_last_line {
        let trimmed = line.trim_end_matches('=');
        if line.len() - trimmed.len() > 2 {
            return Some('=');
        }
        trimmed
    } else {
        line
    };
    body.chars()
        .find(|&c| !c.is_ascii() || c == '=' || !is_base64_char(c as u8))
}

/// What a value that is not PEM holds, when it is one of the files users give instead of PEM
/// (found by its structure, so a hint names a command that works on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Container {
    /// A PKCS#12/PFX file: `SEQUENCE { INTEGER 3, SEQUENCE { pkcs7-data … } … }`.
    Pkcs12,
    /// An X.509 certificate's DER.
    Certificate,
    /// A private key's DER (PKCS#8, PKCS#1 or SEC1).
    PrivateKey {
        /// The PEM label its encoding takes (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`).
        label: &'static str,
    },
}

impl Container {
    /// What it is and what to do, for a binary value given in `field` (read from the file of
    /// `hints`, which its commands name).
    pub(crate) fn binary_advice(
        self,
        field: Field,
        f: &mut fmt::Formatter<'_>,
        hints: &Hints<'_>,
    ) -> fmt::Result {
        let file = hints.file("");
        match (self, field) {
            (Container::Pkcs12, _) => write!(
                f,
                "is a PKCS#12/PFX file (binary), not PEM text: split it with `openssl pkcs12 -in \
                 {file} -nokeys -out cert.pem` (the certificates) and `openssl pkcs12 -in {file} \
                 -nocerts -nodes -out key.pem` (the private key), and give those",
            ),
            (Container::Certificate, Field::Certificate) => write!(
                f,
                "is a binary (DER) certificate, not PEM text: convert it with `openssl x509 \
                 -inform der -in {file} -out cert.pem`",
            ),
            (Container::Certificate, Field::PrivateKey) => write!(
                f,
                "is a binary (DER) certificate, not a private key: give the private key (PEM) \
                 here and the certificate in {}",
                hints.place(Field::Certificate)
            ),
            (Container::PrivateKey { .. }, Field::PrivateKey) => write!(
                f,
                "is a binary (DER) private key, not PEM text: convert it with `openssl pkey \
                 -inform der -in {file} -out key.pem`",
            ),
            (Container::PrivateKey { .. }, Field::Certificate) => write!(
                f,
                "is a binary (DER) private key, not a certificate: give the certificate (PEM) \
                 here and the private key in {}",
                hints.place(Field::PrivateKey)
            ),
        }
    }

    /// What it is and what to do, for base64 text without PEM armour given in `field` (read
    /// from the file of `hints`, which its commands name).
    fn unarmoured_advice(
        self,
        field: Field,
        f: &mut fmt::Formatter<'_>,
        hints: &Hints<'_>,
    ) -> fmt::Result {
        match (self, field) {
            (Container::Pkcs12, _) => write!(
                f,
                "it is a PKCS#12/PFX file in base64, not PEM: decode it (`base64 -d {} > {p12}`) \
                 and split it with `openssl pkcs12 -in {p12} -nokeys -out cert.pem` (the \
                 certificates) and `openssl pkcs12 -in {p12} -nocerts -nodes -out key.pem` (the \
                 private key)",
                hints.file(""),
                p12 = hints.file(".p12"),
            ),
            (Container::Certificate, Field::Certificate) => f.write_str(
                "it is a certificate's base64 without its PEM armour: put a -----BEGIN \
                 CERTIFICATE----- line before it and an -----END CERTIFICATE----- line after it",
            ),
            (Container::Certificate, Field::PrivateKey) => f.write_str(
                "it is a certificate's base64 (without PEM armour), not a private key: give the \
                 private key here",
            ),
            (Container::PrivateKey { label }, Field::PrivateKey) => write!(
                f,
                "it is a private key's base64 without its PEM armour: put a -----BEGIN \
                 {label}----- line before it and an -----END {label}----- line after it"
            ),
            (Container::PrivateKey { .. }, Field::Certificate) => write!(
                f,
                "it is a private key's base64 (without PEM armour), not a certificate: the key \
                 goes in {}",
                hints.place(Field::PrivateKey)
            ),
        }
    }
}

/// Why a parameter has no usable block of the kind it must hold (rows 13 and 16 of the check table).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemError {
    /// The text is not well-formed PEM.
    Framing(FramingError),
    /// The certificate field has no `CERTIFICATE` block; these are the labels it has.
    NoCertificate {
        /// Labels of the blocks found instead.
        found: Vec<Label>,
    },
    /// The private-key field has no private-key block; these are the labels it has.
    NoPrivateKey {
        /// Labels of the blocks found instead.
        found: Vec<Label>,
    },
    /// A block that does not belong in this field.
    UnexpectedBlock {
        /// Its label.
        label: Label,
        /// Line of its BEGIN.
        line: usize,
        /// The field it was found in.
        field: Field,
    },
    /// More than one private key in the private-key field.
    SeveralPrivateKeys {
        /// BEGIN lines of the first two.
        lines: (usize, usize),
    },
    /// A block with RFC 1421 header lines (`Name: value`) that its kind does not carry.
    Headers {
        /// The block's label.
        label: Label,
        /// Line of its BEGIN.
        line: usize,
    },
    /// An `EC PARAMETERS` block that is not followed by the `EC PRIVATE KEY` it describes.
    ParametersWithoutKey {
        /// Line of its BEGIN.
        line: usize,
    },
    /// Base64 text without PEM armour whose bytes are a known container.
    Unarmoured {
        /// What the bytes are.
        container: Container,
        /// The field it was given in.
        field: Field,
    },
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &Hints::default())
    }
}

impl PemError {
    /// The text, with the file and the parameters' names of `hints` in its advice.
    pub(crate) fn write(&self, f: &mut fmt::Formatter<'_>, hints: &Hints<'_>) -> fmt::Result {
        match self {
            PemError::Framing(e) => write!(f, "{e}"),
            PemError::NoCertificate { found } => {
                write!(f, "it has no CERTIFICATE block, only {}", labels(found))?;
                if let Some((what, fix)) = found.iter().find_map(|l| l.mistake(Field::Certificate))
                {
                    write!(f, ": it is {what}; ")?;
                    fix.write(f, hints)?;
                } else if found.iter().any(Label::is_private_key) {
                    f.write_str(": the private key is in the certificate's place")?;
                }
                Ok(())
            }
            PemError::NoPrivateKey { found } => {
                write!(f, "it has no private-key block, only {}", labels(found))?;
                if let Some((what, fix)) = found.iter().find_map(|l| l.mistake(Field::PrivateKey)) {
                    write!(f, ": it is {what}; ")?;
                    fix.write(f, hints)?;
                } else if found.iter().any(Label::is_certificate) {
                    f.write_str(": a certificate is in the private key's place")?;
                }
                Ok(())
            }
            PemError::UnexpectedBlock { label, line, field } => {
                write!(
                    f,
                    "the {label} block at line {line} does not belong in this parameter"
                )?;
                if let Some((what, _)) = label.mistake(*field) {
                    write!(f, ": it is {what}; remove it")?;
                } else if label.is_private_key() {
                    write!(
                        f,
                        ": send the private key only in {}",
                        hints.place(Field::PrivateKey)
                    )?;
                } else if label.is_certificate() {
                    write!(
                        f,
                        ": certificates go in {}",
                        hints.place(Field::Certificate)
                    )?;
                }
                Ok(())
            }
            PemError::Headers { label, line } => write!(
                f,
                "the {label} block at line {line} has header lines (\"Name: value\") after its \
                 BEGIN line; a {label} block carries none, so remove them"
            ),
            PemError::SeveralPrivateKeys { lines: (a, b) } => write!(
                f,
                "it holds more than one private key (blocks at lines {a} and {b}); give exactly one"
            ),
            PemError::ParametersWithoutKey { line } => write!(
                f,
                "the EC PARAMETERS block at line {line} is not followed by an EC PRIVATE KEY block"
            ),
            PemError::Unarmoured { container, field } => {
                container.unarmoured_advice(*field, f, hints)
            }
        }
    }
}

fn labels(found: &[Label]) -> String {
    let mut text = String::new();
    for (i, label) in found.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&label.to_string());
    }
    text
}

/// The certificate field: one or more `CERTIFICATE` blocks and nothing else.
pub(crate) fn certificate_blocks<'f, 'a>(
    framed: &'f Framed<'a>,
) -> Result<Vec<&'f Block<'a>>, PemError> {
    if !framed.blocks.iter().any(|b| b.label.is_plain_certificate()) {
        return Err(PemError::NoCertificate {
            found: framed.blocks.iter().map(|b| b.label.clone()).collect(),
        });
    }
    if let Some(other) = framed
        .blocks
        .iter()
        .find(|b| !b.label.is_plain_certificate())
    {
        return Err(PemError::UnexpectedBlock {
            label: other.label.clone(),
            line: other.begin_line,
            field: Field::Certificate,
        });
    }
    // RFC 7468 §5: certificates have no headers (OpenSSL refuses all but Proc-Type).
    if let Some(with_headers) = framed.blocks.iter().find(|b| !b.header_names.is_empty()) {
        return Err(PemError::Headers {
            label: with_headers.label.clone(),
            line: with_headers.begin_line,
        });
    }
    Ok(framed.blocks.iter().collect())
}

/// The private-key field's blocks: the key, and the `EC PARAMETERS` block before it if any
/// (other parameter blocks before the key are skipped: they carry no key material).
#[derive(Debug)]
pub(crate) struct KeyBlocks<'f, 'a> {
    pub(crate) key: &'f Block<'a>,
    pub(crate) parameters: Option<&'f Block<'a>>,
}

/// The private-key field: exactly one private (or, wrongly, public) key block, optionally
/// preceded by parameter blocks, and nothing else. `EC PARAMETERS` must precede an
/// `EC PRIVATE KEY` (it names the curve, which must agree); `DSA PARAMETERS`, `DH PARAMETERS`
/// and `X9.42 DH PARAMETERS` before the key are skipped, so a key whose algorithm the service
/// does not take is answered by its algorithm whatever envelope it comes in.
pub(crate) fn key_blocks<'f, 'a>(framed: &'f Framed<'a>) -> Result<KeyBlocks<'f, 'a>, PemError> {
    let is_key = |b: &&Block<'_>| {
        b.label.is_private_key() || matches!(b.label, Label::PublicKey | Label::RsaPublicKey)
    };
    let mut keys = framed.blocks.iter().filter(is_key);
    let Some(key) = keys.next() else {
        return Err(PemError::NoPrivateKey {
            found: framed.blocks.iter().map(|b| b.label.clone()).collect(),
        });
    };
    if let Some(second) = keys.next() {
        return Err(PemError::SeveralPrivateKeys {
            lines: (key.begin_line, second.begin_line),
        });
    }
    let mut parameters = None;
    for block in &framed.blocks {
        if core::ptr::eq(block, key) {
            continue;
        }
        if block.label.is_parameters()
            && block.label != Label::EcParameters
            && block.begin_line < key.begin_line
        {
            continue;
        }
        if block.label != Label::EcParameters {
            return Err(PemError::UnexpectedBlock {
                label: block.label.clone(),
                line: block.begin_line,
                field: Field::PrivateKey,
            });
        }
        if key.label != Label::EcPrivateKey
            || block.begin_line > key.begin_line
            || parameters.is_some()
        {
            return Err(PemError::ParametersWithoutKey {
                line: block.begin_line,
            });
        }
        parameters = Some(block);
    }
    // Headers are only meaningful for a password-protected key (refused as such later).
    if !key.header_names.is_empty() && !key.encrypted {
        return Err(PemError::Headers {
            label: key.label.clone(),
            line: key.begin_line,
        });
    }
    Ok(KeyBlocks { key, parameters })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "MIIBszCCAVmgAwIBAgIUYQ==";

    fn block(label: &str, body: &str) -> String {
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    }

    /// The splitter as it was (one search per line): the reference for `lines`.
    fn lines_one_search_each(text: &str) -> Vec<(usize, &str)> {
        let mut rest = text;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).unwrap_or(rest.len());
            let (line, tail) = rest.split_at(end);
            rest = tail
                .strip_prefix("\r\n")
                .or_else(|| tail.strip_prefix('\n'))
                .or_else(|| tail.strip_prefix('\r'))
                .unwrap_or(tail);
            out.push((out.len() + 1, line));
        }
        out
    }

    #[test]
    fn lines_split_as_one_search_per_line_did() {
        let pieces = [
            "", "a", "é", "\n", "\r", "\r\n", "\n\r", "\r\r\n", "  ", "-----",
        ];
        // Every string of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        for text in &texts {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                lines_one_search_each(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn frames_blocks_in_order_with_line_numbers() {
        let text = format!(
            "{}{}",
            block("CERTIFICATE", BODY),
            block("EC PRIVATE KEY", BODY)
        );
        let framed = frame(&text, Field::Certificate).unwrap();
        let labels: Vec<_> = framed.blocks.iter().map(|b| b.label.clone()).collect();
        assert_eq!(labels, vec![Label::Certificate, Label::EcPrivateKey]);
        assert_eq!(
            (framed.blocks[1].begin_line, framed.blocks[1].end_line),
            (4, 6)
        );
        assert!(framed.notes.is_empty(), "{:?}", framed.notes);
    }

    #[test]
    fn crlf_cr_indentation_and_no_final_newline_are_accepted() {
        let text =
            format!("  -----BEGIN CERTIFICATE-----\r\n\t{BODY}  \r-----END CERTIFICATE-----");
        let framed = frame(&text, Field::Certificate).unwrap();
        assert_eq!(framed.blocks.len(), 1);
        assert_eq!(framed.blocks[0].end_line, 3);
        assert_eq!(
            framed.notes,
            vec![FormatNote::SurroundingWhitespace { line: 1 }]
        );
        assert_eq!(
            framed.blocks[0].decode(Field::Certificate).unwrap().len(),
            16
        );
    }

    #[test]
    fn end_label_must_match_begin_label() {
        let text = format!("-----BEGIN CERTIFICATE-----\n{BODY}\n-----END X509 CERTIFICATE-----\n");
        assert_eq!(
            frame(&text, Field::Certificate),
            Err(FramingError::EndMismatch {
                begin_label: Label::Certificate,
                begin_line: 1,
                end_label: Label::X509Certificate,
                end_line: 3,
            })
        );
    }

    #[test]
    fn stray_begin_is_an_error_not_silent_corruption() {
        let text = format!(
            "-----BEGIN CERTIFICATE-----\nMIIB\n{}",
            block("CERTIFICATE", BODY)
        );
        assert_eq!(
            frame(&text, Field::Certificate),
            Err(FramingError::StrayBegin {
                open_label: Label::Certificate,
                open_line: 1,
                line: 3
            })
        );
    }

    #[test]
    fn unterminated_and_orphan_end_and_malformed_boundaries() {
        assert_eq!(
            frame("-----BEGIN CERTIFICATE-----\nMIIB\n", Field::Certificate),
            Err(FramingError::Unterminated {
                label: Label::Certificate,
                begin_line: 1
            })
        );
        assert_eq!(
            frame("x\n-----END CERTIFICATE-----\n", Field::Certificate),
            Err(FramingError::EndWithoutBegin { line: 2 })
        );
        for bad in [
            "-----BEGIN CERTIFICATE----",
            "-----BEGINCERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----MIIB",
            "-----BEGIN  CERTIFICATE-----",
            "-----BEGIN RSA  PRIVATE KEY-----",
            "-----BEGIN CERTIFICATE -----",
            "-----BEGIN CERT-IFICATE-----",
            "-----BEGIN -----",
        ] {
            assert_eq!(
                frame(bad, Field::Certificate),
                Err(FramingError::MalformedBoundary { line: 1 }),
                "{bad}"
            );
        }
    }

    #[test]
    fn no_blocks_tells_bare_base64_from_other_text() {
        assert_eq!(
            frame(&BODY.repeat(2), Field::Certificate),
            Err(FramingError::NoBlocks { bare_base64: true })
        );
        assert_eq!(
            frame("xxx", Field::Certificate),
            Err(FramingError::NoBlocks { bare_base64: false })
        );
        assert_eq!(
            frame("xxx yyy", Field::Certificate),
            Err(FramingError::NoBlocks { bare_base64: false })
        );
    }

    #[test]
    fn rfc1421_headers_mark_encrypted_keys() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        let framed = frame(text, Field::PrivateKey).unwrap();
        assert!(framed.blocks[0].encrypted);
        assert_eq!(framed.blocks[0].header_names, vec!["Proc-Type", "DEK-Info"]);
    }

    #[test]
    fn text_outside_blocks_and_blank_lines_between_are_notes() {
        let text = format!(
            "Bag Attributes\n    localKeyID: 01\n{}\n\n{}trailing\n",
            block("CERTIFICATE", BODY),
            block("CERTIFICATE", BODY)
        );
        let framed = frame(&text, Field::Certificate).unwrap();
        assert_eq!(framed.blocks.len(), 2);
        assert_eq!(
            framed.notes,
            vec![
                FormatNote::BlankLineBetweenBlocks { line: 6 },
                FormatNote::TextOutsideBlocks { line: 1, count: 3 },
            ]
        );
    }

    #[test]
    fn line_length_note_counts_lines_not_64_long() {
        let long = "A".repeat(76);
        let text = block("CERTIFICATE", &format!("{long}\n{long}\nAAAA"));
        let framed = frame(&text, Field::Certificate).unwrap();
        assert_eq!(
            framed.notes,
            vec![FormatNote::LineLength {
                line: 2,
                length: 76,
                count: 2
            }]
        );
    }

    #[test]
    fn line_length_note_leaves_out_formats_the_service_does_not_read() {
        let long = "A".repeat(70);
        for label in ["OPENSSH PRIVATE KEY", "PKCS7", "CERTIFICATE REQUEST"] {
            let text = block(label, &format!("{long}\n{long}\nAAAA"));
            let framed = frame(&text, Field::PrivateKey).unwrap();
            assert_eq!(framed.notes, Vec::new(), "{label}");
        }
        let text = block("PRIVATE KEY", &format!("{long}\nAAAA"));
        let framed = frame(&text, Field::PrivateKey).unwrap();
        assert_eq!(
            framed.notes,
            vec![FormatNote::LineLength {
                line: 2,
                length: 70,
                count: 1
            }]
        );
    }

    #[test]
    fn base64_errors_are_precise_for_certificates_and_silent_for_keys() {
        let bad = block("CERTIFICATE", "MIIB!AAA");
        let framed = frame(&bad, Field::Certificate).unwrap();
        assert_eq!(
            framed.blocks[0].decode(Field::Certificate),
            Err(Base64Error::InvalidCharacter {
                line: 2,
                character: Some('!')
            })
        );
        let framed = frame(&bad, Field::PrivateKey).unwrap();
        assert_eq!(
            framed.blocks[0].decode(Field::PrivateKey),
            Err(Base64Error::InvalidCharacter {
                line: 2,
                character: None
            })
        );
        let unpadded = block("CERTIFICATE", "MIIBsw");
        let framed = frame(&unpadded, Field::Certificate).unwrap();
        assert_eq!(
            framed.blocks[0].decode(Field::Certificate),
            Err(Base64Error::Length { chars: 6 })
        );
        let early_pad = block("CERTIFICATE", "MI==\nAAAA");
        let framed = frame(&early_pad, Field::Certificate).unwrap();
        assert_eq!(
            framed.blocks[0].decode(Field::Certificate),
            Err(Base64Error::InvalidCharacter {
                line: 2,
                character: Some('=')
            })
        );
        let empty = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
        let framed = frame(empty, Field::Certificate).unwrap();
        assert_eq!(
            framed.blocks[0].decode(Field::Certificate),
            Err(Base64Error::EmptyBody)
        );
    }

    #[test]
    fn key_labels_are_never_echoed_from_the_key_field() {
        let text = block("MIIEVGHIDDENKEYMATERIAL", BODY);
        let framed = frame(&text, Field::PrivateKey).unwrap();
        assert_eq!(framed.blocks[0].label, Label::Other(None));
        let framed = frame(&text, Field::Certificate).unwrap();
        assert_eq!(
            framed.blocks[0].label,
            Label::Other(Some("MIIEVGHIDDENKEYMATERIAL".into()))
        );
    }

    /// Every block of every PEM fixture decodes as `rustls_pki_types` decodes it.
    #[test]
    fn decodes_every_fixture_like_pki_types() {
        use rustls_pki_types::pem::{PemObject, SectionKind};
        let Some(testdata) = crate::test_support::testdata() else {
            return;
        };
        let files: Vec<_> = crate::test_support::files_under(&testdata)
            .into_iter()
            .filter(|path| path.extension().is_some_and(|e| e == "pem"))
            .collect();
        let mut compared = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let Ok(framed) = frame(&text, Field::Certificate) else {
                continue;
            };
            let theirs: Vec<(SectionKind, Vec<u8>)> =
                <(SectionKind, Vec<u8>)>::pem_slice_iter(text.as_bytes())
                    .filter_map(Result::ok)
                    .collect();
            let ours: Vec<Vec<u8>> = framed
                .blocks
                .iter()
                .filter(|b| SectionKind::try_from(b.label.to_string().as_bytes()).is_ok())
                .filter_map(|b| b.decode(Field::PrivateKey).ok().map(|d| d.to_vec()))
                .collect();
            if ours.len() == theirs.len() {
                for (mine, (_, theirs)) in ours.iter().zip(&theirs) {
                    assert_eq!(mine, theirs, "{}", file.display());
                    compared += 1;
                }
            }
        }
        assert!(compared > 150, "only {compared} blocks compared");
    }

    #[test]
    fn shown_escapes_and_truncates() {
        assert_eq!(shown("a\nb", 10), "a\\nb");
        assert_eq!(shown("abcdef", 3), "abc…");
    }
}
