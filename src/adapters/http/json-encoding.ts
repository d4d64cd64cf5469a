// The charset a JSON body's Content-Type declares: only UTF-8 is read (RFC 8259).

/** The charset a Content-Type declares when it is not UTF-8, lower-cased; undefined for UTF-8 or none declared. */
export function charsetOtherThanUtf8(contentType: string | undefined): string | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' ? undefined : charset;
}
