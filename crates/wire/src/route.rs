//! Routing: which API a request calls. `Action` and `Version` come from the parameters
//! (query or form body), else from the `x-acs-action` / `x-acs-version` headers (V3
//! clients send only those); the table of (Action, Version) pairs is the caller's (the
//! library's profiles).

use crate::auth::header_values;
use crate::error::GatewayError;
use crate::form::Params;

/// The table row a request was routed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Routed<'t> {
    /// Index of the row in the table given to [`route`].
    pub index: usize,
    /// The action, as in the table.
    pub action: &'t str,
    /// The version, as in the table.
    pub version: &'t str,
}

/// The requested action: the first `Action` parameter, else the first `x-acs-action` header.
pub fn requested_action<'a>(params: &'a Params, headers: &[(&str, &'a [u8])]) -> Option<&'a [u8]> {
    params
        .get("Action")
        .or_else(|| header_values(headers, "x-acs-action").next())
}

/// The requested version: the first `Version` parameter, else the first `x-acs-version`
/// header.
pub fn requested_version<'a>(params: &'a Params, headers: &[(&str, &'a [u8])]) -> Option<&'a [u8]> {
    params
        .get("Version")
        .or_else(|| header_values(headers, "x-acs-version").next())
}

/// Finds the row of `table` (pairs of action and version, compared byte for byte) that the
/// request calls: an unknown or missing action is [`GatewayError::InvalidActionNotFound`], a
/// known action with another or no version [`GatewayError::InvalidVersion`].
pub fn route<'t>(
    table: &'t [(&'t str, &'t str)],
    params: &Params,
    headers: &[(&str, &[u8])],
) -> Result<Routed<'t>, GatewayError> {
    let action = requested_action(params, headers).ok_or(GatewayError::InvalidActionNotFound)?;
    let version = requested_version(params, headers);
    let mut action_known = false;
    for (index, &(a, v)) in table.iter().enumerate() {
        if a.as_bytes() == action {
            action_known = true;
            if version == Some(v.as_bytes()) {
                return Ok(Routed {
                    index,
                    action: a,
                    version: v,
                });
            }
        }
    }
    Err(if action_known {
        GatewayError::InvalidVersion
    } else {
        GatewayError::InvalidActionNotFound
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_form;

    const TABLE: &[(&str, &str)] = &[
        ("SetDomainServerCertificate", "2018-05-10"),
        ("SetLiveDomainCertificate", "2016-11-01"),
        ("SetCdnDomainSSLCertificate", "2018-05-10"),
        ("SetDcdnDomainSSLCertificate", "2018-01-15"),
        ("SetVodDomainSSLCertificate", "2017-03-21"),
    ];

    fn routed(query: &[u8], headers: &[(&str, &[u8])]) -> Result<Routed<'static>, GatewayError> {
        route(TABLE, &decode_form(query).unwrap(), headers)
    }

    #[test]
    fn routes_from_params_or_headers() {
        let r = routed(b"Action=SetLiveDomainCertificate&Version=2016-11-01", &[]).unwrap();
        assert_eq!(
            (r.index, r.action, r.version),
            (1, "SetLiveDomainCertificate", "2016-11-01")
        );
        let headers: &[(&str, &[u8])] = &[
            ("X-Acs-Action", b"SetDcdnDomainSSLCertificate"),
            ("x-acs-version", b"2018-01-15"),
        ];
        assert_eq!(routed(b"", headers).unwrap().index, 3);
        // Parameters win over headers.
        let r = routed(
            b"Action=SetVodDomainSSLCertificate&Version=2017-03-21",
            headers,
        );
        assert_eq!(r.unwrap().index, 4);
    }

    #[test]
    fn unknown_action_and_wrong_version() {
        assert_eq!(
            routed(b"Action=Nope&Version=2018-05-10", &[]),
            Err(GatewayError::InvalidActionNotFound)
        );
        assert_eq!(
            routed(b"Version=2018-05-10", &[]),
            Err(GatewayError::InvalidActionNotFound)
        );
        assert_eq!(
            routed(b"Action=setcdndomainsslcertificate&Version=2018-05-10", &[]),
            Err(GatewayError::InvalidActionNotFound)
        );
        assert_eq!(
            routed(b"Action=SetCdnDomainSSLCertificate&Version=2014-11-11", &[]),
            Err(GatewayError::InvalidVersion)
        );
        assert_eq!(
            routed(b"Action=SetCdnDomainSSLCertificate", &[]),
            Err(GatewayError::InvalidVersion)
        );
    }
}
