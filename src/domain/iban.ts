// The IBAN check digits (ISO 13616), shared by managed lists and log redaction.

/**
 * Whether `text.slice(from, to)`, upper-case letters and digits, passes the IBAN check: its first
 * four characters moved to the end, letters as 10..35, the number is 1 mod 97. Reads the text in
 * place, allocating nothing (log redaction calls it on every IBAN-shaped run of every line).
 */
export function ibanChecksumOk(text: string, from = 0, to = text.length): boolean {
  let remainder = 0;
  for (let i = 0; i < to - from; i += 1) {
    const code = text.charCodeAt(from + ((i + 4) % (to - from)));
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + code - 48) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + code - 55) % 97;
    else return false;
  }
  return remainder === 1;
}
