/* Chinese numbers and dates for templates (CJK.md §10): dates in Chinese
   numerals or in Arabic digits, 万/亿 compact numbers, uppercase money,
   cardinals and ordinals. Formatting only: it reads the plain forms listed
   below and nothing else (no 二〇二三年 back into a date).

   Every function appends UTF-8 to OUT and returns true, or returns false
   and leaves OUT as it was when the input is not one it accepts (or OUT's
   cap is reached). None aborts on input.

   Accepted numbers (compact, money): optional spaces (also U+3000 and
   U+00A0) around, an optional sign (+ - − and full-width ＋ －), ASCII or
   full-width digits, "," or "，" grouping in threes ("1,234.50"), and a
   fraction after "." or "．". Rejected: exponents ("1.1E+17"), ".5", "5.",
   groups not of three, anything else. At most 24 significant digits before
   the point and 12 after.

   Accepted dates: "2023-03-21", "2023/3/21", "2023年3月21日" (spaces
   around, ASCII or full-width digits; month and day of one or two digits);
   the year has four digits (1000-9999) and the date must exist in the
   Gregorian calendar.

   Thread safety: the ICU formatters are opened once per process on first
   use and shared; one mutex guards their creation and every use (ICU does
   not promise that one formatter may serve two threads at once), so the
   functions may be called from several threads. */
#ifndef WY_CJKNUM_H
#define WY_CJKNUM_H
#include <stdbool.h>

#include "base/buf.h"

/* "2023-03-21" → 二〇二三年三月二十一日: the year digit by digit with 〇
   (ICU %spellout-numbering-year), month and day as numbers (十, 二十一;
   never hanidec's 二一). */
bool wy_cjknum_date(const char *text, WyBuf *out);

/* "2023-03-21" → 2023年3月21日 (GB/T 9704: no zero padding). */
bool wy_cjknum_date_arabic(const char *text, WyBuf *out);

/* 万/亿 compact form by ICU compact-short for zh, at most two decimals,
   rounded half up (四舍五入): 16000 → 1.6万, 123456789 → 1.23亿,
   1234567 → 123.46万, 9999 → 9999, 1234.567 → 1234.57. Never a mixed form
   like 3亿4500万; 10^12 and above use 万亿. */
bool wy_cjknum_compact(const char *number, WyBuf *out);

/* Uppercase money for finance tables: 12300 → 壹万贰仟叁佰元整. At most
   two decimals and less than 10^12 元 (up to 9999亿…); a negative amount
   starts with 负. Convention (《会计基础工作规范》第五十二条, which the
   People's Bank rules also allow): 整 after 元 or 角 when there is no 分
   (1.5 → 壹元伍角整); 壹拾 is written in full; a run of zeros inside the
   number is one 零, zeros closing a 万/亿 section or the 元 are silent
   (107000.53 → 壹拾万柒仟元伍角叁分) and a zero 角 before a 分 is 零
   (325.04 → 叁佰贰拾伍元零肆分). */
bool wy_cjknum_money_upper(const char *amount, WyBuf *out);

/* 17 → 十七, 101 → 一百零一, -5 → 负五, 10^12 → 一万亿 (never 兆).
   False when |N| ≥ 10^16, where a number needs 亿亿. */
bool wy_cjknum_cardinal(long n, WyBuf *out);

/* 17 → 第十七, 101 → 第一百零一, 0 → 第零. False when N is negative or
   ≥ 10^16. */
bool wy_cjknum_ordinal(long n, WyBuf *out);

/* Closes the cached ICU formatters (for leak checkers); the next call
   opens them again. ICU's own process-wide caches are left alone because
   other libraries in the process may use ICU. */
void wy_cjknum_cleanup(void);

#endif
