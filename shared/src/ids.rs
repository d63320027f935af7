//! Identifiers: 22-character nanoid `uuid`s over `[0-9A-Za-z]` (API.md A.1).

const ALPHABET: [char; 62] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M',
    'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j',
    'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
];

pub const UUID_LEN: usize = 22;

/// A new resource uuid.
pub fn new_uuid() -> String {
    nanoid::nanoid!(UUID_LEN, &ALPHABET)
}

const DIGITS: [char; 10] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/// A platform serial number (`tractionNo`): `prefix` (`'1'` pay, `'2'` refund), the epoch
/// milliseconds (13 digits) and 6 random digits. Numeric and time-ordered like the seed's,
/// and unique across replicas with overwhelming probability; each table's UNIQUE constraint
/// backs that up (a collision is retried with a new number).
pub fn traction_no(prefix: char) -> String {
    format!("{prefix}{:013}{}", crate::time::now_ms(), nanoid::nanoid!(6, &DIGITS))
}

/// `true` for a well-formed resource uuid.
pub fn is_uuid(s: &str) -> bool {
    s.len() == UUID_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `true` for a valid client-supplied request id: 1-128 of `[A-Za-z0-9._-]`.
pub fn is_request_id(s: &str) -> bool {
    (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_22_alphanumerics_and_distinct() {
        let a = new_uuid();
        assert!(is_uuid(&a), "{a}");
        assert_ne!(a, new_uuid());
    }

    #[test]
    fn traction_numbers_are_numeric_with_their_prefix() {
        let t = traction_no('2');
        assert_eq!(t.len(), 20);
        assert!(t.starts_with('2') && t.bytes().all(|b| b.is_ascii_digit()), "{t}");
        assert_ne!(t, traction_no('2'));
    }

    #[test]
    fn request_ids_are_checked() {
        assert!(is_request_id("abc-123_x.y"));
        assert!(!is_request_id(""));
        assert!(!is_request_id("a b"));
        assert!(!is_request_id(&"x".repeat(129)));
    }
}
