//! The AWS Region codes that exist, with the names the console shows. The
//! Regions a product is offered in are maintainer-set in book.toml; this list
//! only catches a code that names no Region at all (`eu-west-9`, `us-east1`).
//! Add a line here when AWS opens a Region.

/// `(code, name)`, in the order AWS lists them.
pub(crate) const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("af-south-1", "Africa (Cape Town)"),
    ("ap-east-1", "Asia Pacific (Hong Kong)"),
    ("ap-east-2", "Asia Pacific (Taipei)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "Asia Pacific (Hyderabad)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "Asia Pacific (Melbourne)"),
    ("ap-southeast-5", "Asia Pacific (Malaysia)"),
    ("ap-southeast-6", "Asia Pacific (New Zealand)"),
    ("ap-southeast-7", "Asia Pacific (Thailand)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "Asia Pacific (Osaka)"),
    ("ca-central-1", "Canada (Central)"),
    ("ca-west-1", "Canada West (Calgary)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("eu-central-2", "Europe (Zurich)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-west-2", "Europe (London)"),
    ("eu-west-3", "Europe (Paris)"),
    ("eu-south-1", "Europe (Milan)"),
    ("eu-south-2", "Europe (Spain)"),
    ("eu-north-1", "Europe (Stockholm)"),
    ("il-central-1", "Israel (Tel Aviv)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("me-central-1", "Middle East (UAE)"),
    ("mx-central-1", "Mexico (Central)"),
    ("sa-east-1", "South America (São Paulo)"),
    ("us-gov-east-1", "AWS GovCloud (US-East)"),
    ("us-gov-west-1", "AWS GovCloud (US-West)"),
    ("cn-north-1", "China (Beijing)"),
    ("cn-northwest-1", "China (Ningxia)"),
];

/// The console name of a Region code, if the code is real.
pub(crate) fn name_of(code: &str) -> Option<&'static str> {
    REGIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The real code closest to a mistyped one, for the hint.
pub(crate) fn closest(code: &str) -> Option<&'static str> {
    crate::diagnostics::suggest::closest(code, REGIONS.iter().map(|(c, _)| *c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_shaped_like_region_codes() {
        let mut codes: Vec<_> = REGIONS.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), REGIONS.len());
        for code in codes {
            let parts: Vec<_> = code.split('-').collect();
            assert!(parts.len() >= 3, "{code}");
            assert!(parts.last().unwrap().parse::<u8>().is_ok(), "{code}");
        }
    }

    #[test]
    fn a_typo_finds_the_real_code() {
        assert_eq!(name_of("eu-west-1"), Some("Europe (Ireland)"));
        assert_eq!(name_of("eu-west-9"), None);
        assert_eq!(closest("us-east1"), Some("us-east-1"));
        assert_eq!(closest("nowhere-at-all-77"), None);
    }
}
