// Package pii finds personal data in customer text and masks it with
// reversible placeholders, so that nothing personal leaves the process
// (LLM calls) or reaches the logs.
//
// It detects, in Chinese and English text (ASCII or full-width digits):
//
//   - PHONE: Chinese mobile numbers (1[3-9]x, 11 digits, optional +86 /
//     0086 prefix, separated 3-4-4 by spaces or hyphens), Chinese landlines
//     written with their area code (010-12345678, 021-6234 5678,
//     (010) 8888 6666, (0755)1234567; not inside a code such as YT0…), and
//     international numbers in E.164 form (+44 20 7946 0958);
//   - EMAIL: e-mail addresses;
//   - ID: Chinese resident identity numbers, 18 characters shaped like one
//     (area, a 19xx/20xx birth date, sequence, check character), whether
//     or not the GB 11643 check digit is right, since a mistyped number is
//     still someone's (15-digit numbers of the old format are not
//     detected: they look like order numbers);
//   - PASSPORT: Chinese passport numbers (E or G and 8 digits, E, a letter
//     and 7 digits), standing alone (not inside a code such as PE12345678);
//   - CARD: bank card numbers, 13 to 19 digits starting with 2 to 6,
//     optionally grouped, with the Luhn check verified.
//
// Where matches overlap, the first of EMAIL, ID, CARD, PASSPORT, PHONE wins.
//
// The main types and functions:
//
//   - Find returns the matches with their byte spans.
//   - Masker (and the package-level Mask) replaces every match by a
//     placeholder such as [PHONE_1]; Masker satisfies any interface with
//     a Mask(string) string method.
//   - Vault remembers what each placeholder stands for: MaskWithVault
//     masks a text and returns its vault, Vault.Mask masks further texts
//     into the same vault (one conversation), and Vault.Unmask puts the
//     values back into, say, an LLM's answer. Within a vault the same value
//     always gets the same placeholder, and Unmask(Mask(x)) == x exactly.
//   - Handler (an slog.Handler wrapper) and ReplaceAttr (for
//     slog.HandlerOptions) mask the message and every string attribute of
//     a log record.
package pii
