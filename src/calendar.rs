//! 日历：从 1970-01-01 起的天数换算年、月、日（PDF 的创建日期，科目表覆盖的年度）；日期是否存在。

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u8, d as u8)
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The days of a month (0 for a month that is not 1–12).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether a year, month and day name a day that exists (2024-02-29 does, 2023-02-29 and
/// 2024-02-31 do not).
pub fn is_date(year: i32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, is_date};

    #[test]
    fn dates_that_exist() {
        assert!(is_date(2024, 2, 29));
        assert!(!is_date(2023, 2, 29));
        assert!(!is_date(2024, 2, 31));
        assert!(is_date(2000, 2, 29));
        assert!(!is_date(1900, 2, 29));
        assert!(!is_date(2024, 4, 31));
        assert!(!is_date(2024, 13, 1));
        assert!(!is_date(2024, 1, 0));
        assert!(is_date(2024, 12, 31));
    }

    #[test]
    fn days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(19_722).0, 2023);
        assert_eq!(civil_from_days(20_788).0, 2026);
    }
}
